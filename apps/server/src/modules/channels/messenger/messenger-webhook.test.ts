import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../lib/domain-error.ts';
import { messengerAdapter } from './messenger.adapter.ts';

import { PAGE_ID, channel, inbound, page, post, sign } from './messenger-webhook-fixtures.ts';

describe('Messenger webhook: verification', () => {
  it('answers the subscription handshake with the bare challenge', () => {
    const r = messengerAdapter.handleWebhook(
      {
        method: 'GET',
        headers: {},
        query: {
          'hub.mode': 'subscribe',
          'hub.verify_token': 'my-verify-token',
          'hub.challenge': '1158201444',
        },
        rawBody: Buffer.alloc(0),
      },
      channel,
    );
    expect(r.response).toEqual({ status: 200, body: '1158201444', contentType: 'text/plain' });
  });

  it('refuses a wrong verify token or mode', () => {
    for (const q of [
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong-token', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1' },
    ]) {
      expect(() =>
        messengerAdapter.handleWebhook(
          { method: 'GET', headers: {}, query: q, rawBody: Buffer.alloc(0) },
          channel,
        ),
      ).toThrow(DomainError);
    }
  });

  it('accepts X-Hub-Signature-256 over the raw bytes and refuses a forged or missing one', () => {
    const body = page({
      sender: { id: '1' },
      recipient: { id: PAGE_ID },
      timestamp: 1,
      message: { mid: 'm_1', text: 'hi' },
    });
    expect(messengerAdapter.handleWebhook(post(body), channel).events).toHaveLength(1);
    expect(() => messengerAdapter.handleWebhook(post(body, sign(body, 'another-secret')), channel)).toThrow(
      /X-Hub-Signature-256/,
    );
    const unsigned = { ...post(body), headers: {} };
    expect(() => messengerAdapter.handleWebhook(unsigned, channel)).toThrow(/X-Hub-Signature-256/);
    // Meta escapes non-ASCII as \uXXXX: the signature covers those bytes, not a re-serialisation.
    const escaped = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1,"message":{"mid":"m_2","text":"\\u043f\\u0440\\u0438\\u0432\\u0435\\u0442 \\/"}}]}]}`;
    const r = messengerAdapter.handleWebhook(post(escaped), channel);
    expect(messengerAdapter.parse(r.events[0]!.payload, channel)[0]).toMatchObject({ text: 'привет /' });
    const reserialised = JSON.stringify(JSON.parse(escaped));
    expect(() => messengerAdapter.handleWebhook(post(escaped, sign(reserialised)), channel)).toThrow(
      /X-Hub-Signature-256/,
    );
  });

  it('acknowledges and drops items of another Page and other objects', () => {
    const other = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '999',
          time: 1,
          messaging: [
            {
              sender: { id: '1' },
              recipient: { id: '999' },
              timestamp: 1,
              message: { mid: 'm_x', text: 'x' },
            },
          ],
        },
      ],
    });
    expect(messengerAdapter.handleWebhook(post(other), channel).events).toEqual([]);
    const ig = JSON.stringify({ object: 'instagram', entry: [] });
    expect(messengerAdapter.handleWebhook(post(ig), channel).response.status).toBe(200);
  });
});

describe('Messenger webhook: Meta’s published examples', () => {
  it('text with a quick reply (messages reference)', () => {
    const { keys, events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458692752478,
        message: {
          mid: 'mid.1457764197618:41d102a3e1ae206a38',
          text: 'hello, world!',
          quick_reply: { payload: '<DEVELOPER_DEFINED_PAYLOAD>' },
        },
      }),
    );
    expect(keys).toEqual(['mid.1457764197618:41d102a3e1ae206a38']);
    expect(events).toEqual([
      {
        kind: 'message',
        providerMessageId: 'mid.1457764197618:41d102a3e1ae206a38',
        contact: { externalId: '<PSID>' },
        contentKind: 'text',
        text: 'hello, world!',
        attachments: [],
        providerTs: 1458692752478,
        meta: { quickReply: { payload: '<DEVELOPER_DEFINED_PAYLOAD>' } },
      },
    ]);
  });

  it('a reply to an earlier message keeps the quoted mid', () => {
    const { events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458692752478,
        message: {
          mid: 'm_1457764197618:41d102a3e1ae206a38',
          text: 'hello, world!',
          reply_to: { mid: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU', is_self_reply: false },
        },
      }),
    );
    expect(events[0]).toMatchObject({
      kind: 'message',
      text: 'hello, world!',
      meta: { replyTo: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU' },
    });
  });

  it('attachments: image, video, audio and file are downloaded from their URLs', () => {
    const types = ['image', 'video', 'audio', 'file'] as const;
    for (const type of types) {
      const url = `https://scontent.xx.fbcdn.net/v/${type}.bin?oh=1`;
      const { events } = inbound(
        JSON.stringify({
          object: 'page',
          entry: [
            {
              id: '682498302938465',
              time: 1518479195594,
              messaging: [
                {
                  sender: { id: '<PSID>' },
                  recipient: { id: '<PAGE_ID>' },
                  timestamp: 1518479195308,
                  message: {
                    mid: `mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c-${type}`,
                    attachments: [{ type, payload: { url } }],
                  },
                },
              ],
            },
          ],
        }),
      );
      const kind = type === 'file' ? 'document' : type;
      expect(events[0]).toMatchObject({
        kind: 'message',
        contentKind: kind,
        text: null,
        attachments: [{ kind, url, providerRef: url }],
      });
    }
  });

  it('a sticker is an image with its sticker id, once, in the old and the transition shapes', () => {
    const url = 'https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png';
    const old = inbound(
      page({
        sender: { id: '42' },
        recipient: { id: PAGE_ID },
        timestamp: 1,
        message: {
          mid: 'm_st1',
          sticker_id: 369239263222822,
          attachments: [{ type: 'image', payload: { url, sticker_id: 369239263222822 } }],
        },
      }),
    ).events[0];
    expect(old).toMatchObject({
      contentKind: 'image',
      attachments: [{ kind: 'image', url }],
      meta: { sticker: { id: '369239263222822' } },
    });
    const both = inbound(
      page({
        sender: { id: '42' },
        recipient: { id: PAGE_ID },
        timestamp: 2,
        message: {
          mid: 'm_st2',
          attachments: [
            { type: 'sticker', payload: { url, sticker_id: 369239263222822 } },
            { type: 'image', payload: { url } },
          ],
        },
      }),
    ).events[0];
    expect(both).toMatchObject({ contentKind: 'image', meta: { sticker: { id: '369239263222822' } } });
    expect((both as { attachments: unknown[] }).attachments).toHaveLength(1);
  });

  it('a fallback (shared link) becomes text with the link', () => {
    const { events } = inbound(
      page({
        sender: { id: '42' },
        recipient: { id: PAGE_ID },
        timestamp: 3,
        message: {
          mid: 'm_fb',
          attachments: [{ type: 'fallback', payload: { url: 'https://example.com/a', title: 'A page' } }],
        },
      }),
    );
    expect(events[0]).toMatchObject({
      contentKind: 'text',
      text: 'Shared a link: A page https://example.com/a',
    });
  });

  it('a postback (messaging_postbacks) is text with its payload kept', () => {
    const { keys, events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458692752478,
        postback: {
          mid: 'm_MESSAGE-ID',
          title: 'TITLE-FOR-THE-CTA',
          payload: 'USER-DEFINED-PAYLOAD',
          referral: { ref: 'USER-DEFINED-REFERRAL-PARAM', source: 'SHORT-URL', type: 'OPEN_THREAD' },
        },
      }),
    );
    expect(keys).toEqual(['postback:m_MESSAGE-ID']);
    expect(events[0]).toMatchObject({
      kind: 'message',
      providerMessageId: 'm_MESSAGE-ID',
      text: 'TITLE-FOR-THE-CTA',
      meta: { postback: { title: 'TITLE-FOR-THE-CTA', payload: 'USER-DEFINED-PAYLOAD' } },
    });
  });

  it('the dashboard test shape: changes[{field, value}] with a seconds timestamp as text', () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '0',
          time: 1661141837537,
          changes: [
            {
              field: 'messaging_postbacks',
              value: {
                sender: { user_ref: 'USER-REF-ID' },
                recipient: { id: PAGE_ID },
                timestamp: '1527459824',
                postback: {
                  mid: 'm_MESSAGE-ID',
                  title: 'TITLE-FOR-THE-CTA',
                  payload: 'USER-DEFINED-PAYLOAD',
                },
              },
            },
          ],
        },
      ],
    });
    const { events } = inbound(body);
    expect(events[0]).toMatchObject({ contact: { externalId: 'USER-REF-ID' }, providerTs: 1527459824000 });
  });
});
