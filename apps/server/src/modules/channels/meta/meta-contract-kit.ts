import { createHmac } from 'node:crypto';
import type { ContentKind } from '@switchboard/shared';
import { type ProviderAnswer, type ProviderRequest, json } from '../../../../test/channel-kit.ts';
import type { AdapterFixtureKit, ContentFixture, InboundCall, KitChannel } from '../adapter-contract.ts';

/**
 * The adapter contract's fixture kit for Meta's messaging products, written from Meta's published
 * shapes: the messaging webhook (`{object, entry[{id, time, messaging[]}]}`, signed with
 * `X-Hub-Signature-256` over the raw bytes), the Send API's answer `{recipient_id, message_id}` and
 * Graph's error envelope.
 */
export interface MetaKitOptions {
  type: 'messenger' | 'instagram';
  /** The channel's own id on Meta (Page id / Instagram professional account id). */
  accountId: string;
  appSecret: string;
  /** What `GET /me` answers for the channel's token. */
  me: Record<string, unknown>;
  /** Settings besides the credentials (the account id field). */
  settings: Record<string, unknown>;
  /** Content kinds the product delivers, besides text (attachment type → stored kind). */
  media: [string, ContentKind][];
  /** Receipts: Messenger delivers `delivery.mids` and reads by watermark, Instagram only `read.mid`. */
  receipts: 'messenger' | 'instagram';
  /** The final error an operator sees, and the window error's subcode. */
  final: { answer: ProviderAnswer; code: string };
  windowSubcode: number;
}

const CUSTOMER = '6700000000000001';

/** A Send API call: `POST /<version>/me/messages` or `/<id>/messages`. */
const isSend = (r: ProviderRequest) => r.method === 'POST' && /\/(me|\d+)\/messages(\?|$)/.test(r.path);

const graphError = (
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
) =>
  json(
    status,
    { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: 'AbCdEfGhIjK' } },
    headers,
  );

function signed(appSecret: string, body: string, signOver = body): InboundCall {
  return {
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(signOver).digest('hex')}`,
    },
    body,
  };
}

export function metaContractKit(o: MetaKitOptions): AdapterFixtureKit {
  const object = o.type === 'messenger' ? 'page' : 'instagram';
  const envelope = (k: KitChannel, item: Record<string, unknown>) =>
    JSON.stringify({ object, entry: [{ id: o.accountId, time: k.now(), messaging: [item] }] });
  const fromCustomer = (k: KitChannel, extra: Record<string, unknown>) => ({
    sender: { id: CUSTOMER },
    recipient: { id: o.accountId },
    timestamp: k.now(),
    ...extra,
  });
  const message = (k: KitChannel, n: number, m: Record<string, unknown>) =>
    signed(o.appSecret, envelope(k, fromCustomer(k, { message: { mid: `m_contract_${n}`, ...m } })));
  const cdn = (k: KitChannel, name: string) => `${String(k.channel.settings.apiBaseUrl)}/cdn/${name}`;

  const content: ContentFixture[] = [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => message(k, n, { text: 'Where is my order?' }),
    },
    ...o.media.map(
      ([type, kind]): ContentFixture => ({
        contentKind: kind,
        attachments: 1,
        text: null,
        build: (k, n) => message(k, n, { attachments: [{ type, payload: { url: cdn(k, `${type}-${n}`) } }] }),
      }),
    ),
  ];

  return {
    type: o.type,
    settings: (url) => ({ ...o.settings, appSecret: o.appSecret, apiBaseUrl: url }),
    provider: {
      isSend,
      answer(r, sendNo) {
        if (r.method === 'GET' && /\/me\?/.test(r.path)) return json(200, o.me);
        if (r.method === 'POST' && r.path.includes('/subscribed_apps')) return json(200, { success: true });
        if (isSend(r)) return json(200, { recipient_id: CUSTOMER, message_id: `m_sent_${sendNo}` });
        return graphError(404, 100, 'Unsupported get request.', { error_subcode: 33 });
      },
    },
    content,
    forged: (k) => {
      const body = envelope(k, fromCustomer(k, { message: { mid: 'm_forged', text: 'hi' } }));
      return signed('not-the-app-secret', body);
    },
    tampered: (k) => {
      const item = fromCustomer(k, { message: { mid: 'm_tampered', text: 'hi' } });
      const sent = envelope(k, item);
      // The same JSON re-spaced: what a verifier re-serialising the parsed body would check.
      return signed(o.appSecret, JSON.stringify(JSON.parse(sent), null, 1), sent);
    },
    receipts:
      o.receipts === 'messenger'
        ? {
            higher: 'read',
            lower: 'delivered',
            build: (k, mid, status) =>
              signed(
                o.appSecret,
                envelope(
                  k,
                  status === 'read'
                    ? fromCustomer(k, { read: { watermark: k.now() } })
                    : {
                        sender: { id: CUSTOMER },
                        recipient: { id: o.accountId },
                        delivery: { mids: [mid], watermark: k.now() },
                      },
                ),
              ),
          }
        : {
            // Instagram reports reads only (`messaging_seen`); the late lower signal is the echo of our send.
            higher: 'read',
            lower: 'sent',
            build: (k, mid, status) =>
              signed(
                o.appSecret,
                envelope(
                  k,
                  status === 'read'
                    ? fromCustomer(k, { read: { mid } })
                    : {
                        sender: { id: o.accountId },
                        recipient: { id: CUSTOMER },
                        timestamp: k.now(),
                        message: { mid, is_echo: true, text: 'Thanks, we are on it' },
                      },
                ),
              ),
          },
    errors: {
      rateLimited: (s) =>
        graphError(
          429,
          613,
          'Calls to this api have exceeded the rate limit.',
          {},
          { 'retry-after': String(s) },
        ),
      transient: () =>
        graphError(500, 2, 'An unexpected error has occurred. Please retry your request later.', {
          is_transient: true,
        }),
      final: o.final,
      windowClosed: graphError(400, 10, '(#10) This message is sent outside of allowed window.', {
        error_subcode: o.windowSubcode,
      }),
    },
  };
}
