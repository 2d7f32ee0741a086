import { json } from '../../../../test/channel-kit.ts';
import type { ProviderAnswer } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';

const GROUP_ID = 218_000_111;
const SECRET = 'vk-contract-secret-key';
const TOKEN = 'vk1.a.contract-suite-community-token-0000000000';
const CUSTOMER = 7_001_002;

/** A Callback API request as VK posts it (API 5.199): JSON with the secret key in the body. */
function callback(n: number, type: string, object: unknown, secret = SECRET) {
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      group_id: GROUP_ID,
      type,
      event_id: `e${n}a6f0c4b1d2e3f4a5b6c7d8e9f0`,
      v: '5.199',
      object,
      secret,
    }),
  };
}

/** `message_new` from the customer, in their dialog with the community. */
function messageNew(k: KitChannel, n: number, m: Record<string, unknown>, secret?: string) {
  return callback(
    n,
    'message_new',
    {
      message: {
        date: Math.floor(k.now() / 1000),
        from_id: CUSTOMER,
        id: 100 + n,
        out: 0,
        version: 10_000 + n,
        attachments: [],
        conversation_message_id: n,
        fwd_messages: [],
        important: false,
        is_hidden: false,
        peer_id: CUSTOMER,
        random_id: 0,
        text: '',
        ...m,
      },
      client_info: {
        button_actions: [
          'text',
          'vkpay',
          'open_app',
          'location',
          'open_link',
          'callback',
          'intent_subscribe',
        ],
        keyboard: true,
        inline_keyboard: true,
        carousel: true,
        lang_id: 0,
      },
    },
    secret,
  );
}

const cdn = (k: KitChannel, name: string) =>
  `${String(k.channel.settings.apiBaseUrl).replace(/\/method$/, '')}/cdn/${name}`;

const vkError = (code: number, msg: string, headers?: Record<string, string>, status = 200): ProviderAnswer =>
  json(
    status,
    {
      error: {
        error_code: code,
        error_msg: msg,
        request_params: [{ key: 'method', value: 'messages.send' }],
      },
    },
    headers,
  );

const kit: AdapterFixtureKit = {
  type: 'vk',
  settings: (url) => ({
    groupId: GROUP_ID,
    accessToken: TOKEN,
    secret: SECRET,
    confirmationCode: 'a1b2c3d4',
    apiBaseUrl: `${url}/method`,
  }),
  provider: {
    isSend: (r) => r.path.endsWith('/messages.send'),
    answer(r, sendNo) {
      const method = r.path.split('/').pop();
      if (method === 'groups.getById')
        return json(200, {
          response: {
            groups: [{ id: GROUP_ID, name: 'Acme', screen_name: 'acme', type: 'group' }],
            profiles: [],
          },
        });
      if (method === 'messages.send') return json(200, { response: 5000 + sendNo });
      if (method === 'users.get')
        return json(200, { response: [{ id: CUSTOMER, first_name: 'Alice', last_name: 'Smirnova' }] });
      return vkError(3, 'Unknown method passed');
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => messageNew(k, n, { text: 'Where is my order?' }),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: (k, n) =>
        messageNew(k, n, {
          text: 'the box',
          attachments: [
            {
              type: 'photo',
              photo: {
                id: 457239017,
                owner_id: CUSTOMER,
                access_key: 'ak1',
                date: 1_700_000_000,
                sizes: [
                  { type: 's', width: 75, height: 56, url: cdn(k, 's.jpg') },
                  { type: 'z', width: 1080, height: 810, url: cdn(k, 'z.jpg') },
                  { type: 'm', width: 130, height: 98, url: cdn(k, 'm.jpg') },
                ],
              },
            },
          ],
        }),
    },
    {
      contentKind: 'voice',
      attachments: 1,
      build: (k, n) =>
        messageNew(k, n, {
          attachments: [
            {
              type: 'audio_message',
              audio_message: {
                id: 1,
                owner_id: CUSTOMER,
                duration: 3,
                waveform: [0, 5, 9],
                link_ogg: cdn(k, 'v.ogg'),
                link_mp3: cdn(k, 'v.mp3'),
              },
            },
          ],
        }),
    },
    {
      contentKind: 'document',
      attachments: 1,
      build: (k, n) =>
        messageNew(k, n, {
          attachments: [
            {
              type: 'doc',
              doc: {
                id: 2,
                owner_id: CUSTOMER,
                title: 'invoice.pdf',
                size: 1000,
                ext: 'pdf',
                url: cdn(k, 'd'),
                type: 1,
                date: 1,
              },
            },
          ],
        }),
    },
    {
      contentKind: 'sticker',
      attachments: 1,
      build: (k, n) =>
        messageNew(k, n, {
          attachments: [
            {
              type: 'sticker',
              sticker: {
                product_id: 279,
                sticker_id: 9011,
                images: [
                  { url: cdn(k, 's64.png'), width: 64, height: 64 },
                  { url: cdn(k, 's512.png'), width: 512, height: 512 },
                ],
              },
            },
          ],
        }),
    },
    {
      contentKind: 'location',
      text: '55.75, 37.61',
      build: (k, n) =>
        messageNew(k, n, { geo: { type: 'point', coordinates: { latitude: 55.75, longitude: 37.61 } } }),
    },
  ],
  forged: (k) => messageNew(k, 1, { text: 'hi' }, 'not-the-secret'),
  // VK does not sign the body: the secret key travels in it.
  tampered: null,
  // The Callback API has no delivery or read receipts for community messages.
  receipts: null,
  errors: {
    // VK's own limits (6, 9, 29) come with HTTP 200 and no delay (backoff: vk-send.test.ts); a throttling
    // front end answers 429 with Retry-After, which is honoured exactly.
    rateLimited: (s) => vkError(6, 'Too many requests per second', { 'retry-after': String(s) }, 429),
    transient: () => vkError(10, 'Internal server error'),
    final: {
      answer: vkError(901, "Can't send messages for users without permission"),
      code: 'not_allowed',
    },
    windowClosed: null,
  },
};

adapterContract(kit);
