import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { signInOtherAccount } from '../../../../test/other-account.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { TelegramSandbox } from '../../../sandbox/telegram-sandbox.ts';
import { adminInbox } from '../channel-e2e-kit.ts';

const dialects = await testDialects();

// A JPEG's first bytes are enough for the sniffer; the rest is filler.
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  Buffer.from('JFIF\0 sandbox photo'),
]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(40, 1)]);
const alice = { id: 5550001, first_name: 'Alice', last_name: 'Smith', username: 'alice' };
const bob = { id: 5550002, first_name: 'Bob' };

describe.each(dialects)('Telegram through the sandbox Bot API (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true, env: { MEDIA_MAX_BYTES: '100000' } });
  const sandbox = useSandbox(new TelegramSandbox());
  const { as, count } = t;
  let token: string;
  let channelId: string;

  beforeEach(() => {
    token = sandbox.createBot({ username: 'acme_help_bot', firstName: 'Acme Help' }).token;
  });

  const connect = async () => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'Telegram support',
      settings: { botToken: token, apiBaseUrl: sandbox.url },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    return res;
  };
  const { conversations, messagesOf } = adminInbox(t);

  it('connecting checks the token with getMe and registers the webhook with a random secret', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'x',
      settings: { botToken: '123456:AAthis-token-does-not-exist-anywhere', apiBaseUrl: sandbox.url },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^settings\.botToken/),
    });
    const malformed = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'x',
      settings: { botToken: 'not a token' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(await count('channels')).toBe(0);

    const res = await connect();
    expect(res.json().settings).toMatchObject({
      apiBaseUrl: sandbox.url,
      botUsername: 'acme_help_bot',
      botName: 'Acme Help',
      webhookUrl: `${t.base}/webhooks/telegram/${channelId}`,
    });
    expect(res.json().connection).toMatchObject({ botLink: 'https://t.me/acme_help_bot' });
    // The token and the webhook secret are credentials: never shown back.
    expect(res.body).not.toContain(token);
    const hook = sandbox.webhookOf(token)!;
    expect(hook.url).toBe(`${t.base}/webhooks/telegram/${channelId}`);
    expect(hook.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body).not.toContain(hook.secret);
    expect(hook.allowed).toEqual(['message', 'edited_message', 'my_chat_member', 'callback_query']);

    // Updating the settings without the token keeps it and connects again.
    const patched = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, {
      settings: { apiBaseUrl: sandbox.url },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().settings).toMatchObject({ botUsername: 'acme_help_bot', apiBaseUrl: sandbox.url });
    expect(sandbox.webhookOf(token)).toMatchObject({ url: hook.url, secret: hook.secret });

    // Someone pointed the bot elsewhere: the explicit re-registration puts it back.
    await fetch(`${sandbox.url}/bot${token}/deleteWebhook`);
    expect(sandbox.webhookOf(token)).toBeNull();
    const again = await as(t.admin, 'POST', `/api/v1/channels/${channelId}/telegram/webhook`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ webhookUrl: hook.url, botUsername: 'acme_help_bot' });
    expect(sandbox.webhookOf(token)).toMatchObject({ url: hook.url, secret: hook.secret });

    // Deactivating removes the webhook at Telegram; reactivating registers it again.
    const off = await as(t.admin, 'DELETE', `/api/v1/channels/${channelId}`);
    expect(off.statusCode, off.body).toBe(204);
    expect(sandbox.webhookOf(token)).toBeNull();
    const on = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, { active: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(sandbox.webhookOf(token)).toMatchObject({ url: hook.url, secret: hook.secret });
    const offAgain = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, { active: false });
    expect(offAgain.statusCode, offAgain.body).toBe(200);
    expect(offAgain.json().active).toBe(false);
    expect(sandbox.webhookOf(token)).toBeNull();
  });

  it('customer message → conversation → operator reply arrives in Telegram; redeliveries and forgeries store nothing', async () => {
    await connect();
    const d = await sandbox.customerSends(token, { from: alice, content: { text: 'Где мой заказ?' } });
    expect(d.status).toBe(200);
    expect((await sandbox.redeliver(token, d.updateId)).status).toBe(200);
    const forged = await fetch(`${t.base}/webhooks/telegram/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guess' },
      body: JSON.stringify({ update_id: d.updateId + 1, message: { ...d.message, text: 'forged' } }),
    });
    expect(forged.status).toBe(401);
    expect(await count('inbound_events')).toBe(1);
    await t.drainJobs();

    const [conv] = await conversations();
    expect(conv).toMatchObject({ contact: { name: 'Alice Smith' }, channel: { type: 'telegram' } });
    const [inbound] = await messagesOf(conv.id);
    expect(inbound).toMatchObject({
      direction: 'in',
      text: 'Где мой заказ?',
      providerMessageId: `${alice.id}:${d.message!.message_id}`,
    });

    const reply = await as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Заказ в пути, будет завтра',
      clientMessageId: 'r-1',
    });
    expect(reply.statusCode).toBe(202);
    await t.drainJobs();
    const sent = sandbox.sentBy(token, alice.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ text: 'Заказ в пути, будет завтра', chat: { id: alice.id } });
    expect(sandbox.chatHistory(token, alice.id).map((m) => m.text)).toEqual([
      'Где мой заказ?',
      'Заказ в пути, будет завтра',
    ]);
    const out = (await messagesOf(conv.id)).find((m: { id: string }) => m.id === reply.json().id);
    expect(out).toMatchObject({
      deliveryStatus: 'sent',
      providerMessageId: `${alice.id}:${sent[0]!.message_id}`,
    });

    // The customer's next message joins the same conversation.
    await sandbox.customerSends(token, { from: alice, content: { text: 'Спасибо!' } });
    await t.drainJobs();
    expect(await count('conversations')).toBe(1);
    expect(await count('messages')).toBe(3);
  });

  it('media is downloaded through getFile, sniffed, hashed, and served only inside the account', async () => {
    await connect();
    await sandbox.customerSends(token, { from: alice, content: { photo: JPEG, caption: 'чек' } });
    await sandbox.customerSends(token, { from: alice, content: { voice: OGG } });
    await sandbox.customerSends(token, {
      from: alice,
      content: {
        document: Buffer.from('<html><script>alert(1)</script></html>'),
        fileName: 'invoice.html',
        mimeType: 'text/html',
      },
    });
    await sandbox.customerSends(token, {
      from: alice,
      content: { document: Buffer.alloc(150_000, 7), fileName: 'huge.bin' },
    });
    await t.drainJobs();

    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs.map((m: { contentKind: string }) => m.contentKind)).toEqual([
      'image',
      'voice',
      'document',
      'document',
    ]);
    const [photo, voice, html, huge] = msgs.map(
      (m: { attachments: { id: string; url: string | null }[] }) => m.attachments[0],
    );
    expect(msgs[0].text).toBe('чек');
    expect(photo.url).toBe(`/api/v1/attachments/${photo.id}`);

    const got = await as(t.admin, 'GET', photo.url);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload).toEqual(JPEG);
    expect(got.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'content-disposition': expect.stringMatching(/^inline; filename="attachment-.*\.jpg"/),
    });
    const row = await t.ctx.db.kysely
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      sha256: createHash('sha256').update(JPEG).digest('hex'),
      size: JPEG.length,
      download_status: 'stored',
    });
    expect((await as(t.admin, 'GET', voice.url)).headers['content-type']).toBe('audio/ogg');

    // Declared text/html, sniffed as text: a download, never a page.
    const page = await as(t.admin, 'GET', html.url);
    expect(page.headers['content-type']).toBe('text/plain');
    expect(page.headers['content-disposition']).toMatch(/^attachment; filename="invoice\.html"/);

    // Over MEDIA_MAX_BYTES: kept as a failed reference, never stored.
    expect(huge.url).toBeNull();
    const big = await t.ctx.db.kysely
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', huge.id)
      .executeTakeFirstOrThrow();
    expect(big).toMatchObject({ download_status: 'failed', storage_key: null });
    expect(big.download_error).toMatch(/limit/);

    expect((await t.app.inject({ method: 'GET', url: photo.url })).statusCode).toBe(401);
    const stranger = await signInOtherAccount(t, {
      accountName: 'Other shop',
      email: 'other@example.com',
      password: 'another horse battery',
      name: 'Other',
    });
    const denied = await as(stranger, 'GET', photo.url);
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.code).toBe('not_found');
  });

  it('a group is one conversation with each member as author; edits update the message', async () => {
    await connect();
    const group = { id: -1001998877, title: 'Оптовики', supergroup: true };
    const a = await sandbox.customerSends(token, { from: alice, group, content: { text: 'Есть скидки?' } });
    await sandbox.customerSends(token, { from: bob, group, content: { text: 'И доставка?' } });
    await t.drainJobs();
    const convs = await conversations();
    expect(convs).toHaveLength(1);
    expect(convs[0].contact.name).toBe('Оптовики');
    const rows = await t.ctx.db.kysely
      .selectFrom('messages')
      .select(['body', 'meta', 'provider_message_id'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => JSON.parse(r.meta).author)).toEqual([
      { id: String(alice.id), name: 'Alice Smith', username: 'alice' },
      { id: String(bob.id), name: 'Bob', username: null },
    ]);

    await sandbox.customerEdits(token, group.id, a.message!.message_id, 'Есть скидки для опта?');
    await t.drainJobs();
    const edited = await t.ctx.db.kysely
      .selectFrom('messages')
      .selectAll()
      .where('provider_message_id', '=', `${group.id}:${a.message!.message_id}`)
      .executeTakeFirstOrThrow();
    expect(edited.body).toBe('Есть скидки для опта?');
    expect(JSON.parse(edited.meta)).toMatchObject({
      editedAt: expect.any(Number),
      edits: [{ text: 'Есть скидки?' }],
      author: { id: String(alice.id) },
    });
    expect(await count('messages')).toBe(2);

    // The operator's reply goes to the group chat.
    await as(t.admin, 'POST', `/api/v1/conversations/${convs[0].id}/messages`, {
      text: 'Да, от 10 штук',
      clientMessageId: 'g-1',
    });
    await t.drainJobs();
    expect(sandbox.sentBy(token, group.id).map((m) => m.text)).toEqual(['Да, от 10 штук']);
  });

  it('a reply to a customer who blocked the bot fails for good with the reason', async () => {
    await connect();
    await sandbox.customerSends(token, { from: alice, content: { text: 'hi' } });
    await t.drainJobs();
    await sandbox.customerBlocks(token, alice.id);
    const [conv] = await conversations();
    const r = await as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Здравствуйте',
      clientMessageId: 'b-1',
    });
    await t.drainJobs();
    const out = (await messagesOf(conv.id)).find((m: { id: string }) => m.id === r.json().id);
    expect(out.deliveryStatus).toBe('failed');
    expect(out.error).toMatchObject({
      code: 'blocked',
      message: expect.stringMatching(/blocked by the user/),
    });
    expect(sandbox.sentBy(token, alice.id)).toHaveLength(0);
  });
});
