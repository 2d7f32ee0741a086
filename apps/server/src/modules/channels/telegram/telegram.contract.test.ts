import { json } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';
import { SECRET_HEADER } from './telegram.adapter.ts';

const TOKEN = '123456789:AAE_contract-suite-token-000000000';
const customer = { id: 7001, is_bot: false, first_name: 'Alice', username: 'alice' };

/** One update as Telegram posts it: JSON, authenticated by the secret token set with setWebhook. */
function update(k: KitChannel, n: number, message: Record<string, unknown>, secret?: string) {
  const body = JSON.stringify({
    update_id: 900_000 + n,
    message: {
      message_id: n,
      from: customer,
      chat: { id: customer.id, type: 'private' },
      date: Math.floor(k.now() / 1000),
      ...message,
    },
  });
  return {
    headers: {
      'content-type': 'application/json',
      [SECRET_HEADER]: secret ?? k.channel.credentials.webhookSecret!,
    },
    body,
  };
}

const file = (id: string) => ({ file_id: id, file_unique_id: `u-${id}`, file_size: 1000 });
const photo = (id: string) => ({ ...file(id), width: 640, height: 480 });

const kit: AdapterFixtureKit = {
  type: 'telegram',
  settings: (url) => ({ botToken: TOKEN, apiBaseUrl: url }),
  provider: {
    isSend: (r) => /\/send[A-Z]\w*$/.test(r.path),
    answer(r, sendNo) {
      const method = r.path.split('/').pop();
      if (method === 'getMe')
        return json(200, {
          ok: true,
          result: { id: 1, is_bot: true, first_name: 'Acme', username: 'acme_bot' },
        });
      if (method?.startsWith('send'))
        return json(200, {
          ok: true,
          result: {
            message_id: 50_000 + sendNo,
            chat: { id: customer.id, type: 'private' },
            date: 1_765_000_000,
          },
        });
      if (method === 'setWebhook' || method === 'deleteWebhook') return json(200, { ok: true, result: true });
      return json(404, { ok: false, error_code: 404, description: 'Not Found' });
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => update(k, n, { text: 'Where is my order?' }),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: (k, n) => update(k, n, { photo: [photo('small'), photo('large')], caption: 'the box' }),
    },
    {
      contentKind: 'voice',
      attachments: 1,
      build: (k, n) => update(k, n, { voice: { ...file('v'), duration: 3 } }),
    },
    {
      contentKind: 'document',
      attachments: 1,
      build: (k, n) => update(k, n, { document: { ...file('d'), file_name: 'invoice.pdf' } }),
    },
    {
      contentKind: 'sticker',
      attachments: 1,
      build: (k, n) =>
        update(k, n, {
          sticker: {
            ...file('s'),
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
          },
        }),
    },
    {
      contentKind: 'location',
      text: '55.75, 37.61',
      build: (k, n) => update(k, n, { location: { latitude: 55.75, longitude: 37.61 } }),
    },
    {
      contentKind: 'contact',
      text: 'Bob +15550001111',
      build: (k, n) => update(k, n, { contact: { phone_number: '+15550001111', first_name: 'Bob' } }),
    },
  ],
  forged: (k) => update(k, 1, { text: 'hi' }, 'not-the-secret'),
  // Telegram authenticates with a secret header, not a signature over the body.
  tampered: null,
  receipts: null,
  errors: {
    rateLimited: (s) =>
      json(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${s}`,
        parameters: { retry_after: s },
      }),
    transient: () => json(502, { ok: false, error_code: 502, description: 'Bad Gateway' }),
    final: {
      answer: json(403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      }),
      code: 'blocked',
    },
    windowClosed: null,
  },
  buttons: {
    sent(r) {
      const markup = (
        JSON.parse(r.body) as {
          reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
        }
      ).reply_markup;
      return (markup?.inline_keyboard ?? []).flat().map((b) => ({ id: b.callback_data, title: b.text }));
    },
    // A callback_query carrying the bot's message with its keyboard, as Telegram posts it.
    tap: (k, t, n) => ({
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: k.channel.credentials.webhookSecret! },
      body: JSON.stringify({
        update_id: 900_000 + n,
        callback_query: {
          id: `4382${n}`,
          from: customer,
          chat_instance: '-5550001',
          data: t.id,
          message: {
            message_id: Number(t.providerMessageId.split(':')[1]),
            from: { id: 1, is_bot: true, first_name: 'Acme', username: 'acme_bot' },
            chat: { id: customer.id, type: 'private' },
            date: Math.floor(k.now() / 1000),
            text: 'Did this solve it?',
            reply_markup: {
              inline_keyboard: [
                [
                  { text: 'Yes', callback_data: 'yes' },
                  { text: t.title, callback_data: t.id },
                ],
              ],
            },
          },
        },
      }),
    }),
  },
};

adapterContract(kit);
