import type { SettingField } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { formFields, toSettings } from './channel-types.ts';

const field = (name: string, type: SettingField['type'], over: Partial<SettingField> = {}): SettingField => ({
  name,
  type,
  required: false,
  secret: type === 'secret',
  advanced: false,
  label: { en: name, ru: name },
  help: null,
  placeholder: null,
  options: null,
  ...over,
});

describe('toSettings (from the server’s settings form)', () => {
  const whatsapp = [
    field('phoneNumberId', 'text'),
    field('accessToken', 'secret'),
    field('appSecret', 'secret'),
  ];

  it('leaves out empty fields and trims the rest', () => {
    expect(toSettings([field('callbackUrl', 'url')], { callbackUrl: '  ' })).toEqual({});
    expect(toSettings([field('callbackUrl', 'url')], { callbackUrl: ' https://x.example/cb ' })).toEqual({
      callbackUrl: 'https://x.example/cb',
    });
    expect(toSettings(whatsapp, { phoneNumberId: '123', accessToken: 'tok', appSecret: '' })).toEqual({
      phoneNumberId: '123',
      accessToken: 'tok',
    });
  });

  it('sends a select only when chosen, and never a field the form does not know', () => {
    const form = [field('accountSid', 'text'), field('keywordReplies', 'select')];
    expect(toSettings(form, { accountSid: ' AC0123 ', keywordReplies: '', stray: 'x' })).toEqual({
      accountSid: 'AC0123',
    });
    expect(toSettings(form, { keywordReplies: 'switchboard' })).toEqual({ keywordReplies: 'switchboard' });
  });

  it('shapes localized texts, lists, numbers and switches as the server expects', () => {
    const form = [
      field('title', 'localized'),
      field('allowedOrigins', 'list'),
      field('maxUploadBytes', 'number'),
      field('requireIdentity', 'boolean'),
    ];
    expect(
      toSettings(form, {
        title: 'Help',
        allowedOrigins: 'https://a.example, https://b.example',
        maxUploadBytes: '1000',
        requireIdentity: 'true',
      }),
    ).toEqual({
      title: { en: 'Help', ru: 'Help' },
      allowedOrigins: ['https://a.example', 'https://b.example'],
      maxUploadBytes: 1000,
      requireIdentity: true,
    });
  });

  it('shows object settings nowhere (the API sets them) and tucks advanced ones away', () => {
    const form = [
      field('accountSid', 'text'),
      field('apiBaseUrl', 'url', { advanced: true }),
      field('keywords', 'object', { advanced: true }),
      field('replies', 'object'),
    ];
    const { main, advanced } = formFields(form);
    expect(main.map((f) => f.name)).toEqual(['accountSid']);
    expect(advanced.map((f) => f.name)).toEqual(['apiBaseUrl']);
    expect(toSettings(form, { replies: 'x', keywords: 'y' })).toEqual({});
  });

  it('takes a required object setting, or one with an example, as JSON (sent as typed when it is not JSON)', () => {
    const form = [
      field('smtp', 'object', { required: true }),
      field('imap', 'object', { placeholder: '{"host": "imap.example.com"}' }),
      field('extra', 'object'),
    ];
    expect(formFields(form).main.map((f) => f.name)).toEqual(['smtp', 'imap']);
    expect(toSettings(form, { smtp: '{"host": "smtp.example.com", "port": 587}', extra: '{}' })).toEqual({
      smtp: { host: 'smtp.example.com', port: 587 },
    });
    expect(toSettings(form, { smtp: 'host=x' })).toEqual({ smtp: 'host=x' });
  });
});
