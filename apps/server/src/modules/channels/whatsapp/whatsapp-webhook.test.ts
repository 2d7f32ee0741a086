import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelRuntime, WebhookRequest } from '../channel-adapter.ts';
import { handleWhatsAppWebhook, verifyMetaSignature } from './whatsapp-webhook.ts';

const APP_SECRET = '6e2b1b8f3f0c4f1aa1b3c5d7e9f01234';
const channel: ChannelRuntime = {
  id: 'ch-wa',
  accountId: 'acc',
  type: 'whatsapp',
  name: 'WhatsApp',
  settings: { phoneNumberId: '106540352242922' },
  credentials: { accessToken: 'EAAG-token', appSecret: APP_SECRET, verifyToken: 'my-verify-token' },
};
const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const post = (body: string, signature?: string): WebhookRequest => ({
  method: 'POST',
  headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
  query: {},
  rawBody: Buffer.from(body),
});

describe('X-Hub-Signature-256 (published vectors, signature-vectors.md §3)', () => {
  it('M1: GitHub’s published vector for the same header and algorithm', () => {
    expect(
      verifyMetaSignature(
        "It's a Secret to Everybody",
        'Hello, World!',
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      ),
    ).toBe(true);
  });

  const unicode =
    "Let's pretend this body is equal to the message object and can handle unicode characters like みどりいろ and J'ai mangé des pâtes";
  const escaped = unicode.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const M2 = 'sha256=0363007aabdf1ab579f35936651a460fb5fa1aaf40df98b1264446b72cc96688';

  it('M2: whatsapp-api-js’s vector over the body as Meta sends it (non-ASCII escaped)', () => {
    expect(escaped).toContain('\\u307f\\u3069\\u308a\\u3044\\u308d');
    expect(verifyMetaSignature('YOUR_APP_SECRET', escaped, M2)).toBe(true);
  });

  it('M2b: the same text as raw UTF-8 bytes must not verify', () => {
    expect(verifyMetaSignature('YOUR_APP_SECRET', unicode, M2)).toBe(false);
  });

  it('rejects a wrong secret, a missing or malformed header, and a sha1 header', () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    expect(verifyMetaSignature(APP_SECRET, body, sign(body, 'other'))).toBe(false);
    expect(verifyMetaSignature(APP_SECRET, body, undefined)).toBe(false);
    expect(verifyMetaSignature(APP_SECRET, body, sign(body).slice(7))).toBe(false);
    expect(
      verifyMetaSignature(
        APP_SECRET,
        body,
        `sha1=${createHmac('sha1', APP_SECRET).update(body).digest('hex')}`,
      ),
    ).toBe(false);
    expect(verifyMetaSignature('', body, sign(body, ''))).toBe(false);
    // Meta's hex is lowercase; an upper-cased copy of the right value is still the right value.
    expect(verifyMetaSignature(APP_SECRET, body, sign(body).toUpperCase().replace('SHA256', 'sha256'))).toBe(
      true,
    );
  });

  it('the webhook refuses a body whose signature does not match its exact bytes', () => {
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    expect(() => handleWhatsAppWebhook(post(body), channel)).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
    const reformatted = JSON.stringify(JSON.parse(body), null, 1);
    expect(() => handleWhatsAppWebhook(post(reformatted, sign(body)), channel)).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
    expect(handleWhatsAppWebhook(post(body, sign(body)), channel).response.status).toBe(200);
  });
});

describe('WhatsApp verification handshake', () => {
  const get = (q: Record<string, string | undefined>): WebhookRequest => ({
    method: 'GET',
    headers: {},
    query: q,
    rawBody: Buffer.alloc(0),
  });

  it('answers the bare challenge when mode and verify token match', () => {
    const r = handleWhatsAppWebhook(
      get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444' }),
      channel,
    );
    expect(r).toEqual({
      events: [],
      response: { status: 200, body: '1158201444', contentType: 'text/plain' },
    });
  });

  it('refuses a wrong token or mode and never echoes markup', () => {
    const bad = [
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
    ];
    for (const q of bad)
      expect(() => handleWhatsAppWebhook(get(q), channel)).toThrow(
        expect.objectContaining({ code: 'forbidden' }),
      );
    expect(() =>
      handleWhatsAppWebhook(
        get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '<script>' }),
        channel,
      ),
    ).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});

describe('WhatsApp batches', () => {
  const value = (phoneNumberId: string, extra: Record<string, unknown>) => ({
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550001234', phone_number_id: phoneNumberId },
    ...extra,
  });

  it('every message and status of every entry and change becomes its own event', () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: value('106540352242922', {
                contacts: [
                  { profile: { name: 'Ann' }, wa_id: '16315551181' },
                  { profile: { name: 'Ben' }, wa_id: '16315551182' },
                ],
                messages: [
                  {
                    from: '16315551181',
                    id: 'wamid.A1',
                    timestamp: '1764000000',
                    type: 'text',
                    text: { body: 'a' },
                  },
                  {
                    from: '16315551182',
                    id: 'wamid.B1',
                    timestamp: '1764000001',
                    type: 'text',
                    text: { body: 'b' },
                  },
                ],
              }),
            },
            {
              field: 'messages',
              value: value('106540352242922', {
                statuses: [
                  {
                    id: 'wamid.OUT1',
                    status: 'delivered',
                    timestamp: '1764000002',
                    recipient_id: '16315551181',
                  },
                  { id: 'wamid.OUT1', status: 'read', timestamp: '1764000003', recipient_id: '16315551181' },
                ],
              }),
            },
          ],
        },
        {
          id: '102290129340398',
          changes: [
            // Another number of the same app: not this channel's.
            {
              field: 'messages',
              value: value('999', {
                messages: [{ from: '1', id: 'wamid.X', timestamp: '1', type: 'text', text: { body: 'x' } }],
              }),
            },
            { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1 } },
          ],
        },
      ],
    });
    const r = handleWhatsAppWebhook(post(body, sign(body)), channel);
    expect(r.events.map((e) => e.providerEventId)).toEqual([
      'wamid.A1',
      'wamid.B1',
      'wamid.OUT1:delivered',
      'wamid.OUT1:read',
    ]);
    expect(r.events[1]).toMatchObject({
      orderKey: '16315551182',
      payload: { kind: 'message', contact: { profile: { name: 'Ben' } } },
    });
  });
});
