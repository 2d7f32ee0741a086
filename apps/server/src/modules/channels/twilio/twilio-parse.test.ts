import { describe, expect, it } from 'vitest';
import { RecipientOptedOutError } from '../../consent/opt-out-error.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { TwilioApiError, TwilioNetworkError } from './twilio-client.ts';
import { twilioJobError } from './twilio-errors.ts';
import { parseTwilioEvent } from './twilio-parse.ts';

const channel: ChannelRuntime = {
  id: 'ch1',
  accountId: 'a1',
  type: 'twilio_sms',
  name: 'Acme',
  settings: { accountSid: `AC${'1'.repeat(32)}`, fromNumber: '+15550001111' },
  credentials: { authToken: 'x'.repeat(32) },
};
const SID = `SM${'0'.repeat(32)}`;
const inbound = (params: Record<string, string>) =>
  parseTwilioEvent(
    {
      kind: 'message',
      params: { MessageSid: SID, From: '+15557654321', NumMedia: '0', ...params },
      receivedAt: 1234,
    },
    channel,
  );
const status = (params: Record<string, string>) =>
  parseTwilioEvent({ kind: 'status', params: { MessageSid: SID, ...params } }, channel);

describe('Twilio events', () => {
  it('an SMS: text, phone, receive time as provider time, no keyword', () => {
    const [e] = inbound({ Body: 'Hello', NumSegments: '1' });
    expect(e).toMatchObject({
      kind: 'message',
      providerMessageId: SID,
      contact: { externalId: '+15557654321', phone: '+15557654321' },
      contentKind: 'text',
      text: 'Hello',
      providerTs: 1234,
      meta: { twilio: { numSegments: '1' } },
    });
    expect(e).not.toHaveProperty('keyword');
  });

  it('MMS: every MediaUrlN with its type, kind from the first', () => {
    const [e] = inbound({
      Body: '',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/m0',
      MediaContentType0: 'video/mp4',
      MediaUrl1: 'https://api.twilio.com/m1',
      MediaContentType1: 'image/jpeg',
    });
    expect(e).toMatchObject({
      contentKind: 'video',
      text: null,
      attachments: [
        { kind: 'video', providerRef: 'https://api.twilio.com/m0', mimeType: 'video/mp4' },
        { kind: 'image', providerRef: 'https://api.twilio.com/m1', mimeType: 'image/jpeg' },
      ],
    });
  });

  it('keywords, and OptOutType from Advanced Opt-Out for words not in our list', () => {
    expect(inbound({ Body: 'Stop' })[0]).toMatchObject({ keyword: { action: 'opt_out', keyword: 'STOP' } });
    const custom = inbound({ Body: 'Arrêt', OptOutType: 'STOP' })[0];
    expect(custom).toMatchObject({
      keyword: { action: 'opt_out', keyword: 'ARRÊT' },
      meta: { twilio: { optOutType: 'STOP' } },
    });
    expect(inbound({ Body: 'please call me' })[0]).not.toHaveProperty('keyword');
  });

  it('statuses: sent/delivered/read; undelivered and failed carry the reason; queued is no news', () => {
    expect(status({ MessageStatus: 'sent' })).toEqual([
      { kind: 'status', providerMessageId: SID, status: 'sent' },
    ]);
    expect(status({ MessageStatus: 'queued' })).toEqual([]);
    expect(status({ MessageStatus: 'undelivered', ErrorCode: '30007' })[0]).toMatchObject({
      status: 'failed',
      errorCode: 'not_delivered',
    });
    const blocked = status({ MessageStatus: 'failed', ErrorCode: '30004' })[0];
    expect(blocked).toMatchObject({ errorCode: 'blocked' });
    expect(blocked).not.toHaveProperty('providerOptOutSource');
    expect(status({ MessageStatus: 'failed', ErrorCode: '21610' })[0]).toMatchObject({
      errorCode: 'opted_out',
      providerOptOutSource: 'twilio:21610 (status callback)',
    });
    expect(status({ MessageStatus: 'failed' })[0]).toMatchObject({ errorCode: 'not_delivered' });
    expect(status({ MessageStatus: 'canceled' })[0]).toMatchObject({ errorCode: 'canceled' });
  });

  it('REST errors as job outcomes', () => {
    const e21610 = twilioJobError(
      new TwilioApiError(400, 21610, 'Attempt to send to unsubscribed recipient'),
    );
    expect(e21610).toBeInstanceOf(RecipientOptedOutError);
    expect(e21610).toMatchObject({ code: 'opted_out', source: 'twilio:21610' });
    expect(twilioJobError(new TwilioApiError(429, 20429, 'Too Many Requests'))).toBeInstanceOf(
      RetryableError,
    );
    expect(twilioJobError(new TwilioApiError(503, 503, 'HTTP 503'))).toBeInstanceOf(RetryableError);
    expect(twilioJobError(new TwilioNetworkError('ECONNRESET'))).toBeInstanceOf(RetryableError);
    const invalid = twilioJobError(new TwilioApiError(400, 21211, "Invalid 'To' Phone Number"));
    expect(invalid).toBeInstanceOf(PermanentError);
    expect(invalid).toMatchObject({ code: 'invalid_recipient' });
    expect(twilioJobError(new TwilioApiError(401, 20003, 'Authenticate'))).toMatchObject({
      code: 'invalid_token',
    });
    expect(twilioJobError(new TwilioApiError(400, 12345, 'Something new'))).toMatchObject({
      code: 'twilio_12345',
    });
  });
});
