import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelKit } from '../../../test/channel-kit.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { signWebhook } from '../webhooks/webhook-signature.ts';

const dialects = await testDialects();
const alice = { id: 5550001, first_name: 'Alice', last_name: 'Smith', username: 'alice' };

/**
 * A customer in the Telegram sandbox talks to an agent bot (a real HTTP server that checks each
 * delivery's signature and answers through Switchboard's REST API with its token), asks for a refund,
 * the bot hands the conversation to people with a note, and an operator's reply reaches Telegram.
 */
describe.each(dialects)('bot hand-off end to end in the Telegram sandbox (%s)', (dialect) => {
  let sandbox: TelegramSandbox;
  const t = useTestApp(dialect);
  let base: string;
  let tgToken: string;
  let botServer: Server;
  let botUrl: string;
  const bot = {
    token: '',
    secret: '',
    heard: [] as Array<{ type: string; data: Record<string, unknown> }>,
    badSignatures: 0,
  };

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await new TelegramSandbox().start();
    // The bot: checks the signature, then acts on customer messages before it answers 200.
    botServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const ts = Number(req.headers['x-switchboard-timestamp']);
        if (req.headers['x-switchboard-signature'] !== signWebhook(bot.secret, ts, raw)) {
          bot.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        const event = JSON.parse(raw) as { type: string; data: Record<string, unknown> };
        bot.heard.push(event);
        const m = event.data;
        if (event.type === 'message.created' && m.direction === 'in') {
          const conv = String(m.conversationId);
          const text = String(m.text ?? '');
          if (/вернуть|refund/i.test(text))
            await api('POST', `/api/v1/conversations/${conv}/handoff`, { note: `Refund request: "${text}"` });
          else
            await api('POST', `/api/v1/conversations/${conv}/messages`, {
              text: 'Здравствуйте! Я бот магазина. Напишите, чем помочь.',
              clientMessageId: `bot-${m.id}`,
            });
        }
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => botServer.listen(0, '127.0.0.1', r));
    botUrl = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}/events`;
  });
  afterAll(async () => {
    await sandbox.stop();
    await new Promise<void>((r) => botServer.close(() => r()));
  });
  beforeEach(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    tgToken = sandbox.createBot({ username: 'shop_bot', firstName: 'Shop' }).token;
  });

  const as = (method: string, url: string, body?: unknown) =>
    channelKit(t, new URL(base).host).as(t.admin, method, url, body);

  it('the bot answers in Telegram, hands off on a refund with a note, then only people answer', async () => {
    const ch = await as('POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'Telegram',
      settings: { botToken: tgToken, apiBaseUrl: sandbox.url },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    const created = await as('POST', '/api/v1/bots', {
      name: 'Shop bot',
      url: botUrl,
      channelIds: [ch.json().id],
    });
    expect(created.statusCode, created.body).toBe(201);
    Object.assign(bot, { token: created.json().token, secret: created.json().secret });

    await sandbox.customerSends(tgToken, { from: alice, content: { text: 'Привет' } });
    await t.drainJobs();
    await t.drainJobs();
    const [conv] = (await as('GET', '/api/v1/conversations')).json().items;
    expect(conv.status).toBe('bot');
    expect(sandbox.sentBy(tgToken, alice.id).map((m) => m.text)).toEqual([
      'Здравствуйте! Я бот магазина. Напишите, чем помочь.',
    ]);

    await sandbox.customerSends(tgToken, { from: alice, content: { text: 'Хочу вернуть деньги' } });
    await t.drainJobs();
    const after = (await as('GET', `/api/v1/conversations/${conv.id}`)).json();
    expect(after.status).toBe('open');
    const msgs = (await as('GET', `/api/v1/conversations/${conv.id}/messages`)).json().items;
    expect(msgs.find((m: { private: boolean }) => m.private)).toMatchObject({
      authorKind: 'bot',
      text: 'Refund request: "Хочу вернуть деньги"',
      meta: { bot: { name: 'Shop bot' } },
    });

    const heard = bot.heard.length;
    await sandbox.customerSends(tgToken, { from: alice, content: { text: 'Алло?' } });
    const reply = await as('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Оформим возврат сегодня',
      clientMessageId: 'op-1',
    });
    expect(reply.statusCode).toBe(202);
    await t.drainJobs();
    expect(bot.heard.length).toBe(heard);
    expect(bot.badSignatures).toBe(0);
    expect(sandbox.chatHistory(tgToken, alice.id).map((m) => m.text)).toEqual([
      'Привет',
      'Здравствуйте! Я бот магазина. Напишите, чем помочь.',
      'Хочу вернуть деньги',
      'Алло?',
      'Оформим возврат сегодня',
    ]);
    expect((await as('GET', `/api/v1/conversations/${conv.id}`)).json().firstResponseAt).not.toBeNull();
  });
});
