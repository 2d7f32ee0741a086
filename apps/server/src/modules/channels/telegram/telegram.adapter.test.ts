import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../app-context.ts';
import { TelegramSandbox } from '../../../sandbox/telegram-sandbox.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, WebhookRequest } from '../channel-adapter.ts';
import { telegramAdapter } from './telegram.adapter.ts';
import { createGuardedFetch } from '../../../infra/net/guarded-fetch.ts';

// Only outbound HTTP of the context is used by the adapter.
// The fake provider listens on loopback: allowlisted as the test configuration does.
const http = { fetch: createGuardedFetch({ allow: ['127.0.0.1'] }) } as Pick<
  AppContext,
  'fetch'
> as AppContext;

const SECRET = 'sEcReT_token-42';
let sandbox: TelegramSandbox;
let token: string;
let channel: ChannelRuntime;
const customer = { id: 777001, first_name: 'Dana' };

beforeAll(async () => {
  sandbox = await new TelegramSandbox().start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  token = sandbox.createBot({ username: 'acme_help_bot', firstName: 'Acme Help' }).token;
  channel = {
    id: 'ch-1',
    accountId: 'acc-1',
    type: 'telegram',
    name: 'Telegram',
    settings: { apiBaseUrl: sandbox.url },
    credentials: { botToken: token, webhookSecret: SECRET },
  };
  // The customer pressed Start, so the bot may write to them (no webhook yet: the update is kept).
  await sandbox.customerSends(token, { from: customer, content: { text: '/start' } });
});

const webhook = (
  headers: Record<string, string>,
  body = '{"update_id":5,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"hi"}}',
): WebhookRequest => ({
  method: 'POST',
  headers,
  query: {},
  rawBody: Buffer.from(body),
});

const outbound = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'm-1',
  conversationId: 'c-1',
  text: 'Ваш заказ отправлен',
  createdAt: Date.now(),
  contactExternalId: String(customer.id),
  attachments: [],
  ...over,
});

async function sendError(over: Partial<OutboundMessage> = {}, ch = channel): Promise<Error> {
  try {
    await telegramAdapter.send(http, ch, outbound(over));
  } catch (err) {
    return err as Error;
  }
  throw new Error('send did not fail');
}

describe('Telegram webhook secret token', () => {
  it('accepts exactly the registered secret and keys the event by update_id and chat', () => {
    const r = telegramAdapter.handleWebhook(webhook({ 'x-telegram-bot-api-secret-token': SECRET }), channel);
    expect(r.events).toEqual([expect.objectContaining({ providerEventId: '5', orderKey: '1' })]);
    expect(r.response.status).toBe(200);
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-telegram-bot-api-secret-token': 'sEcReT_token-43' }],
    ['a prefix', { 'x-telegram-bot-api-secret-token': 'sEcReT' }],
    ['longer', { 'x-telegram-bot-api-secret-token': `${SECRET}x` }],
    ['empty', { 'x-telegram-bot-api-secret-token': '' }],
  ])('rejects a %s secret', (_n, headers) => {
    expect(() => telegramAdapter.handleWebhook(webhook(headers), channel)).toThrow(
      expect.objectContaining({ code: 'invalid_signature' }),
    );
  });

  it('rejects bodies that are not Updates', () => {
    const h = { 'x-telegram-bot-api-secret-token': SECRET };
    expect(() => telegramAdapter.handleWebhook(webhook(h, '{"update_id":'), channel)).toThrow(
      expect.objectContaining({ code: 'invalid_json' }),
    );
    expect(() => telegramAdapter.handleWebhook(webhook(h, '{"message":{}}'), channel)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });
});

describe('Telegram sending', () => {
  it('sends text, splitting at 4096 characters, and keeps the first message id', async () => {
    const long = `${'а'.repeat(3000)}\n${'б'.repeat(3000)}`;
    const r = await telegramAdapter.send(http, channel, outbound({ text: long }));
    const sent = sandbox.sentBy(token, customer.id);
    expect(sent).toHaveLength(2);
    expect((sent[0]!.text as string) + (sent[1]!.text as string)).toBe(long);
    expect(r.providerMessageId).toBe(`${customer.id}:${sent[0]!.message_id}`);
  });

  it('sends each media kind with the text as caption, and replies to a message', async () => {
    const kinds: [OutboundMessage['attachments'][number], string][] = [
      [{ name: 'a.jpg', mimeType: 'image/jpeg', url: 'https://cdn.example.com/a.jpg' }, 'photo'],
      [{ name: 'v.mp4', mimeType: 'video/mp4', url: 'https://cdn.example.com/v.mp4' }, 'video'],
      [{ name: 'n.ogg', mimeType: 'audio/ogg', url: 'https://cdn.example.com/n.ogg' }, 'voice'],
      [{ name: 's.mp3', mimeType: 'audio/mpeg', url: 'https://cdn.example.com/s.mp3' }, 'audio'],
      [{ name: 'd.pdf', mimeType: 'application/pdf', url: 'https://cdn.example.com/d.pdf' }, 'document'],
      [
        { name: null, mimeType: 'image/webp', url: 'https://cdn.example.com/s.webp', kind: 'sticker' },
        'sticker',
      ],
    ];
    for (const [a, field] of kinds) {
      await telegramAdapter.send(http, channel, outbound({ text: 'см. файл', attachments: [a] }));
      if (field === 'sticker') {
        // Stickers take no caption: the text goes first as its own message (the console shows it above).
        expect(sandbox.calls.at(-2)!).toMatchObject({ method: 'sendMessage', params: { text: 'см. файл' } });
        expect(sandbox.calls.at(-1)!.params.sticker).toBe(a.url);
      } else {
        expect(sandbox.calls.at(-1)!.params).toMatchObject({ [field]: a.url, caption: 'см. файл' });
      }
    }
    await telegramAdapter.send(
      http,
      channel,
      outbound({ text: 'ответ', replyToProviderMessageId: `${customer.id}:1` }),
    );
    expect(sandbox.calls.at(-1)!.params.reply_parameters).toEqual({
      message_id: 1,
      allow_sending_without_reply: true,
    });
    expect((sandbox.sentBy(token).at(-1)!.reply_to_message as { text: string }).text).toBe('/start');
  });

  it('refuses an attachment Telegram could not fetch', async () => {
    const err = await sendError({ attachments: [{ name: 'x', mimeType: 'image/png', url: null }] });
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('attachment_unavailable');
  });
});

describe('Telegram errors as job outcomes', () => {
  it('403 blocked by the user is final and says so', async () => {
    await sandbox.customerBlocks(token, customer.id);
    const err = await sendError();
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/blocked by the user/);
    expect((err as PermanentError).code).toBe('blocked');
  });

  it('429 is retried after exactly retry_after seconds', async () => {
    sandbox.failNext(token, 'sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    const err = await sendError();
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(7000);
  });

  it('5xx and an unreachable Bot API are retried with backoff', async () => {
    sandbox.failNext(token, 'sendMessage', { error_code: 502, description: 'Bad Gateway' });
    const e5 = await sendError();
    expect(e5).toBeInstanceOf(RetryableError);
    expect((e5 as RetryableError).retryAfterMs).toBeUndefined();

    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const eNet = await sendError({}, { ...channel, settings: { apiBaseUrl: `http://127.0.0.1:${closed}` } });
    expect(eNet).toBeInstanceOf(RetryableError);
    expect(eNet.message).not.toContain(token);
  });

  it('an API base the SSRF guard refuses is final, not retried', async () => {
    const err = await sendError({}, { ...channel, settings: { apiBaseUrl: 'http://169.254.169.254' } });
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('blocked_address');
    expect(err.message).not.toContain(token);
  });

  it('400 is final with our reason (never Telegram’s text); a migrated group names the new chat', async () => {
    sandbox.failNext(token, 'sendMessage', {
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
    const e400 = await sendError();
    expect(e400).toBeInstanceOf(PermanentError);
    expect((e400 as PermanentError).code).toBe('too_large');
    expect(e400.message).not.toContain('Bad Request');

    sandbox.failNext(token, 'sendMessage', {
      error_code: 400,
      description: 'Bad Request: <html>internal admin panel, secret=42</html>',
    });
    const eOther = await sendError();
    expect(eOther.message).toBe('Telegram rejected the message (error 400)');

    sandbox.failNext(token, 'sendMessage', {
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001234 },
    });
    const eMig = await sendError();
    expect((eMig as PermanentError).code).toBe('chat_migrated');
    expect(eMig.message).toContain('-1001234');

    const eChat = await sendError({ contactExternalId: '424242' });
    expect((eChat as PermanentError).code).toBe('recipient_unavailable');
    expect(eChat.message).not.toContain('chat not found');
  });

  it('a revoked token is final and asks for a new one', async () => {
    const err = await sendError(
      {},
      { ...channel, credentials: { ...channel.credentials, botToken: '1:AAnot-a-real-token-of-this-bot' } },
    );
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('invalid_token');
  });
});

describe('Telegram media references', () => {
  it('resolves a file_id through getFile to a download URL of the same Bot API root', async () => {
    const d = await sandbox.customerSends(token, {
      from: customer,
      content: { photo: Buffer.from('jpegbytes') },
    });
    const photo = (d.message!.photo as { file_id: string }[]).at(-1)!;
    const src = await telegramAdapter.resolveMedia!(http, channel, photo.file_id);
    expect(src.url.startsWith(`${sandbox.url}/file/bot${token}/`)).toBe(true);
    expect(src.size).toBe(9);
    expect(Buffer.from(await (await fetch(src.url)).arrayBuffer()).toString()).toBe('jpegbytes');
  });

  it('a file over Telegram’s 20 MB download limit is final', async () => {
    const d = await sandbox.customerSends(token, {
      from: customer,
      content: { document: Buffer.alloc(20 * 1024 * 1024 + 1), fileName: 'big.bin' },
    });
    const doc = d.message!.document as { file_id: string };
    await expect(telegramAdapter.resolveMedia!(http, channel, doc.file_id)).rejects.toMatchObject({
      code: 'too_large',
    });
    await expect(telegramAdapter.resolveMedia!(http, channel, 'AgACunknown')).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});
