import { json } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';
import { SIGNATURE_HEADER, viberSignature } from './viber-signature.ts';

const AUTH_TOKEN = '4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51r';
const CUSTOMER = '01234567890A=';
/** Above 2^53: a token that JSON.parse would round. */
const TOKEN_BASE = 5925477129011358721n;

/** A callback as Viber posts it: JSON with bare 64-bit integers, signed over the exact bytes. */
function callback(body: string, token = AUTH_TOKEN) {
  return {
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: viberSignature(token, body) },
    body,
  };
}

function messageBody(k: KitChannel, n: number, message: Record<string, unknown>): string {
  const sender = {
    id: CUSTOMER,
    name: 'John McClane',
    avatar: 'https://media-direct.cdn.viber.com/avatar.jpg',
    country: 'UK',
    language: 'en',
    api_version: 10,
  };
  // Built as text: the token must go out as a bare integer beyond 2^53, as Viber writes it.
  return `{"event":"message","timestamp":${k.now()},"chat_hostname":"SN-376_","message_token":${TOKEN_BASE + BigInt(n)},"sender":${JSON.stringify(sender)},"message":${JSON.stringify(message)},"silent":false}`;
}

const inbound = (message: Record<string, unknown>) => (k: KitChannel, n: number) =>
  callback(messageBody(k, n, message));

const cdn = (n: string) => `https://dl-media.viber.com/1/share/2/long/vibes/icon/image/0x0/${n}`;

const kit: AdapterFixtureKit = {
  type: 'viber',
  settings: (url) => ({ authToken: AUTH_TOKEN, senderName: 'Acme support', apiBaseUrl: url }),
  provider: {
    isSend: (r) => r.method === 'POST' && r.path.endsWith('/send_message'),
    answer(r, sendNo) {
      if (r.headers['x-viber-auth-token'] !== AUTH_TOKEN)
        return json(200, { status: 2, status_message: 'invalidAuthToken', chat_hostname: 'SN-376_' });
      if (r.path.endsWith('/send_message'))
        return {
          status: 200,
          body: `{"status":0,"status_message":"ok","message_token":${TOKEN_BASE + 1_000_000n + BigInt(sendNo)},"chat_hostname":"SN-372_","billing_status":1}`,
        };
      if (r.path.endsWith('/set_webhook'))
        return json(200, {
          status: 0,
          status_message: 'ok',
          chat_hostname: 'SN-376_',
          event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'],
        });
      return json(200, { status: 3, status_message: 'badData', chat_hostname: 'SN-376_' });
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: inbound({ type: 'text', text: 'Where is my order?' }),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: inbound({
        type: 'picture',
        text: 'the box',
        media: cdn('box.jpg'),
        thumbnail: cdn('box-t.jpg'),
      }),
    },
    {
      contentKind: 'video',
      attachments: 1,
      build: inbound({
        type: 'video',
        media: cdn('v.mp4'),
        thumbnail: cdn('v.jpg'),
        size: 10_000,
        duration: 4,
      }),
    },
    {
      contentKind: 'document',
      attachments: 1,
      build: inbound({ type: 'file', media: cdn('invoice.pdf'), size: 10_000, file_name: 'invoice.pdf' }),
    },
    {
      contentKind: 'sticker',
      attachments: 1,
      build: inbound({ type: 'sticker', sticker_id: 46105, media: cdn('46105.png') }),
    },
    {
      contentKind: 'contact',
      text: 'Holly Gennero +15551234567',
      build: inbound({ type: 'contact', contact: { name: 'Holly Gennero', phone_number: '+15551234567' } }),
    },
    {
      contentKind: 'location',
      text: '50.76891, 6.11499',
      build: inbound({ type: 'location', location: { lat: 50.76891, lon: 6.11499 } }),
    },
    {
      contentKind: 'text',
      text: 'https://example.com/order/42',
      build: inbound({ type: 'url', media: 'https://example.com/order/42' }),
    },
  ],
  forged: (k) => {
    const body = messageBody(k, 1, { type: 'text', text: 'hi' });
    return callback(body, 'another-token-0000000000000000');
  },
  tampered: (k) => {
    const body = messageBody(k, 1, { type: 'text', text: 'hi' });
    return { ...callback(body), body: body.replace('"event":"message"', '"event": "message"') };
  },
  receipts: {
    build: (_k, id, status, n) =>
      callback(
        `{"event":"${status === 'read' ? 'seen' : 'delivered'}","timestamp":${Date.now() + n},"chat_hostname":"SN-376_","message_token":${id},"user_id":"${CUSTOMER}"}`,
      ),
    higher: 'read',
    lower: 'delivered',
  },
  errors: {
    rateLimited: (s) =>
      json(
        200,
        { status: 12, status_message: 'tooManyRequests', chat_hostname: 'SN-376_' },
        { 'retry-after': String(s) },
      ),
    transient: () => ({ status: 503, body: '<html>Service Unavailable</html>' }),
    final: {
      answer: json(200, { status: 6, status_message: 'notSubscribed', chat_hostname: 'SN-376_' }),
      code: 'not_subscribed',
    },
    windowClosed: null,
  },
};

adapterContract(kit);
