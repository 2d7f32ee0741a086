import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelRuntime, InboundEvent, WebhookRequest } from '../channel-adapter.ts';
import { splitTextBytes } from '../split-text.ts';
import { instagramAdapter } from './instagram.adapter.ts';

const IGID = '17841400000000001';
const APP_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const channel: ChannelRuntime = {
  id: 'ch-ig',
  accountId: 'acc',
  type: 'instagram',
  name: 'Instagram',
  settings: { instagramAccountId: IGID },
  credentials: { accessToken: 'IGQW-token', appSecret: APP_SECRET, verifyToken: 'ig-verify-token' },
};
const sign = (body: string) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
const post = (body: string): WebhookRequest => ({
  method: 'POST',
  headers: { 'x-hub-signature-256': sign(body) },
  query: {},
  rawBody: Buffer.from(body),
});
const ig = (...messaging: unknown[]) =>
  JSON.stringify({ object: 'instagram', entry: [{ id: IGID, time: 1569262486134, messaging }] });
const from = (extra: Record<string, unknown>) => ({
  sender: { id: 'IGSID' },
  recipient: { id: IGID },
  timestamp: 1569262485349,
  ...extra,
});

function inbound(body: string): { keys: string[]; events: InboundEvent[] } {
  const r = instagramAdapter.handleWebhook(post(body), channel);
  return {
    keys: r.events.map((e) => e.providerEventId),
    events: r.events.flatMap((e) => instagramAdapter.parse(JSON.parse(JSON.stringify(e.payload)), channel)),
  };
}

describe('Instagram webhook: Meta’s published examples', () => {
  it('text', () => {
    const { keys, events } = inbound(ig(from({ message: { mid: 'MESSAGE-ID', text: 'MESSAGE-TEXT' } })));
    expect(keys).toEqual(['MESSAGE-ID']);
    expect(events[0]).toMatchObject({
      kind: 'message',
      contact: { externalId: 'IGSID' },
      text: 'MESSAGE-TEXT',
      providerTs: 1569262485349,
    });
  });

  it('media attachments stay links to Meta’s CDN (Instagram’s terms forbid storing them)', () => {
    for (const [type, kind] of [
      ['image', 'image'],
      ['video', 'video'],
      ['audio', 'audio'],
      ['file', 'document'],
    ] as const) {
      const url = `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&type=${type}`;
      const ev = inbound(
        ig(from({ message: { mid: `m-${type}`, attachments: [{ type, payload: { url } }] } })),
      ).events[0];
      expect(ev).toMatchObject({ contentKind: kind, attachments: [{ kind, url }] });
      expect((ev as { attachments: { providerRef?: string }[] }).attachments[0]!.providerRef).toBeUndefined();
    }
  });

  it('a story mention carries the story link', () => {
    const body = `{ "object": "instagram", "entry": [ { "id": "${IGID}", "time": 1569262486134, "messaging": [ { "sender": { "id": "<IGSID>" }, "recipient": { "id": "<IGID>" }, "timestamp": 1569262485349, "message": { "mid": "<MESSAGE_ID>", "attachments":[ { "type":"story_mention", "payload":{ "url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17&signature=x" } } ] } } ] } ], }`;
    const ev = inbound(body).events[0];
    expect(ev).toMatchObject({
      kind: 'message',
      text: 'Mentioned you in their story https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17&signature=x',
      meta: {
        story: {
          kind: 'mention',
          url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17&signature=x',
        },
      },
    });
  });

  it('a story reply keeps the text and the story link', () => {
    const ev = inbound(
      ig(
        from({
          message: {
            mid: 'm-sr',
            text: 'Love this!',
            reply_to: { story: { id: '18000000000000000', url: 'https://lookaside.fbsbx.com/story.jpg' } },
          },
        }),
      ),
    ).events[0];
    expect(ev).toMatchObject({
      text: 'Love this!',
      meta: {
        story: { kind: 'reply', id: '18000000000000000', url: 'https://lookaside.fbsbx.com/story.jpg' },
      },
    });
  });

  it('shares and reels become links', () => {
    const share = inbound(
      ig(
        from({
          message: {
            mid: 'm-sh',
            attachments: [{ type: 'share', payload: { url: 'https://www.instagram.com/p/abc/' } }],
          },
        }),
      ),
    ).events[0];
    expect(share).toMatchObject({
      contentKind: 'text',
      text: 'Shared a post https://www.instagram.com/p/abc/',
      meta: { links: [{ type: 'share' }] },
    });
    const reel = inbound(
      ig(
        from({
          message: {
            mid: 'm-rl',
            attachments: [
              {
                type: 'ig_reel',
                payload: { url: 'https://www.instagram.com/reel/xyz/', title: 'My reel', reel_video_id: 123 },
              },
            ],
          },
        }),
      ),
    ).events[0];
    expect(reel).toMatchObject({ text: 'Shared a reel: My reel https://www.instagram.com/reel/xyz/' });
  });

  it('unsend (is_deleted) marks the message deleted', () => {
    const { keys, events } = inbound(
      ig(from({ message: { mid: 'message-id-to-delete', is_deleted: true } })),
    );
    expect(keys).toEqual(['deleted:message-id-to-delete']);
    expect(events).toEqual([
      { kind: 'revoke', providerMessageId: 'message-id-to-delete', revokedAt: 1569262485349 },
    ]);
  });

  it('messaging_seen: read through a message', () => {
    const { events } = inbound(ig(from({ read: { mid: 'MESSAGE-ID' } })));
    expect(events).toEqual([
      {
        kind: 'receipt',
        contactExternalId: 'IGSID',
        status: 'read',
        upTo: null,
        throughProviderMessageId: 'MESSAGE-ID',
      },
    ]);
  });

  it('reactions', () => {
    const ev = inbound(
      ig(from({ reaction: { mid: 'MESSAGE-ID', action: 'react', reaction: 'love', emoji: '\u2764' } })),
    ).events[0];
    expect(ev).toMatchObject({
      kind: 'message',
      text: 'Reacted \u2764',
      meta: { reaction: { messageId: 'MESSAGE-ID', name: 'love' } },
    });
  });

  it('echoes: never marked as ours (Instagram has no metadata), so matched by id later', () => {
    const ev = inbound(
      ig({
        sender: { id: IGID },
        recipient: { id: 'IGSID' },
        timestamp: 1,
        message: { mid: 'm-echo', text: 'sent from the app', is_echo: true },
      }),
    ).events[0];
    expect(ev).toMatchObject({
      kind: 'echo',
      ourMessageId: null,
      ownSendsMarked: false,
      author: 'Instagram app',
      contact: { externalId: 'IGSID' },
    });
  });

  it('unsupported content becomes a system note', () => {
    const ev = inbound(ig(from({ message: { mid: 'm-un', is_unsupported: true } }))).events[0];
    expect(ev).toMatchObject({ contentKind: 'system' });
  });

  it('the documentation sample with // comments parses', () => {
    const body = `{
  "object": "instagram",
  "entry": [
    {
      "id": "${IGID}", // ID of your Instagram Professional account
      "time": 1569262486134,
      "messaging": [
        {
          "sender": { "id": "IGSID" }, // Instagram-scoped ID for the customer who sent the message
          "recipient": { "id": "IGID" },
          "timestamp": 1569262485349,
          "message": {
            "mid": "MESSAGE-ID", // ID of the message sent to your business
            "text": "MESSAGE-TEXT"
          }
        }
      ]
    }
  ]
}`;
    expect(inbound(body).events[0]).toMatchObject({ text: 'MESSAGE-TEXT' });
  });
});

describe('Instagram text limit: 1,000 UTF-8 bytes per message', () => {
  it('splits on character boundaries, never inside a surrogate pair', () => {
    const text = '😀'.repeat(400); // 4 bytes each, 2 UTF-16 units each
    const parts = splitTextBytes(text, 1000);
    expect(parts.map((p) => Buffer.byteLength(p))).toEqual([1000, 600]);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('counts Cyrillic as two bytes and prefers a space in the second half', () => {
    const word = 'привет ';
    const text = word.repeat(100); // 13 bytes a word
    const parts = splitTextBytes(text, 1000);
    expect(parts.every((p) => Buffer.byteLength(p) <= 1000)).toBe(true);
    expect(parts[0]!.endsWith(' ')).toBe(true);
    expect(parts.join('')).toBe(text);
  });
});
