import { describe, expect, it } from 'vitest';
import { toSettings } from './channel-types.ts';

describe('toSettings', () => {
  it('leaves out empty fields and trims the rest', () => {
    expect(toSettings('api', { callbackUrl: '  ' })).toEqual({});
    expect(toSettings('api', { callbackUrl: ' https://x.example/cb ' })).toEqual({
      callbackUrl: 'https://x.example/cb',
    });
    expect(toSettings('whatsapp', { phoneNumberId: '123', accessToken: 'tok', appSecret: '' })).toEqual({
      phoneNumberId: '123',
      accessToken: 'tok',
    });
  });

  it('sends a Twilio channel its number or service and the keyword choice only when set', () => {
    expect(
      toSettings('twilio_sms', {
        accountSid: ' AC0123 ',
        authToken: 'tok',
        fromNumber: '+15551234567',
        messagingServiceSid: '',
        keywordReplies: '',
      }),
    ).toEqual({ accountSid: 'AC0123', authToken: 'tok', fromNumber: '+15551234567' });
    expect(toSettings('twilio_sms', { keywordReplies: 'switchboard' })).toEqual({
      keywordReplies: 'switchboard',
    });
  });

  it("shapes the widget's title and allowed sites as the server expects", () => {
    expect(
      toSettings('widget', { title: 'Help', allowedOrigins: 'https://a.example, https://b.example' }),
    ).toEqual({
      title: { en: 'Help', ru: 'Help' },
      allowedOrigins: ['https://a.example', 'https://b.example'],
    });
  });
});
