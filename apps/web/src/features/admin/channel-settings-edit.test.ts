import type { SettingField } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { editFields, editedSettings, initialEditValues } from './channel-settings-edit.ts';

const field = (
  name: string,
  type: SettingField['type'],
  extra: Partial<SettingField> = {},
): SettingField => ({
  name,
  type,
  required: false,
  secret: type === 'secret',
  advanced: false,
  label: { en: name, ru: name },
  help: null,
  placeholder: null,
  options: null,
  ...extra,
});

const form = [
  field('pageId', 'text', { required: true }),
  field('pageAccessToken', 'secret', { required: true }),
  field('humanAgentTag', 'boolean'),
  field('apiBaseUrl', 'url', { advanced: true }),
];

describe('editing a channel’s settings', () => {
  it('starts from the stored settings, never from secrets', () => {
    expect(initialEditValues(form, { pageId: '123', humanAgentTag: true, pageName: 'Acme' })).toEqual({
      pageId: '123',
      humanAgentTag: 'true',
    });
  });

  it('an empty secret is left out (the stored one stays); a switch turned off is sent as false', () => {
    const values = { pageId: '123', pageAccessToken: '', humanAgentTag: '' };
    expect(editedSettings(form, values)).toEqual({ pageId: '123', humanAgentTag: false });
    expect(editedSettings(form, { ...values, pageAccessToken: 'EAAB-new' })).toMatchObject({
      pageAccessToken: 'EAAB-new',
    });
  });

  it('secrets are optional when editing', () => {
    expect(editFields(form).find((f) => f.name === 'pageAccessToken')?.required).toBe(false);
    expect(editFields(form).find((f) => f.name === 'pageId')?.required).toBe(true);
  });
});
