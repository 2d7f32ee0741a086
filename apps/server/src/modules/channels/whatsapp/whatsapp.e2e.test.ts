import { createHash, createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CountedTable } from '../../../../test/channel-kit.ts';
import { useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { WhatsAppSandbox } from '../../../sandbox/whatsapp-sandbox.ts';
import { adminInbox } from '../channel-e2e-kit.ts';
import { connectWhatsApp } from './whatsapp-e2e-kit.ts';

const dialects = await testDialects();

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('sandbox png'),
]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(32, 2)]);
const PDF = Buffer.from('%PDF-1.7\n% sandbox invoice\n');
const MARIA = '79990001122';

describe.each(dialects)('WhatsApp through the sandbox Graph API (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new WhatsAppSandbox());
  let number: ReturnType<WhatsAppSandbox['createNumber']>;
  let connection: { webhookUrl: string; verifyToken: string };

  beforeEach(async () => {
    number = sandbox.createNumber({ displayPhoneNumber: '15550009999', verifiedName: 'Acme Shop' });
  });

  const { as } = t;
  const connect = async () => {
    ({ connection } = await connectWhatsApp(t, sandbox, number, {}, 'WhatsApp'));
  };
  const count = (table: CountedTable) => t.count(table);
  const { conversations, messagesOf, reply } = adminInbox(t);
  const messageById = async (convId: string, id: string) =>
    (await messagesOf(convId)).find((m: { id: string }) => m.id === id);

  it('creation checks the token and number; Meta’s handshake needs the shown verify token', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'whatsapp',
      name: 'x',
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: 'EAAGwrong-token',
        appSecret: number.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^settings\.accessToken/);
    const noSecret = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'whatsapp',
      name: 'x',
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: number.accessToken,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(noSecret.json().error.message).toMatch(/^settings\.appSecret/);
    expect(await count('channels')).toBe(0);

    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'whatsapp',
      name: 'WhatsApp',
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: number.accessToken,
        appSecret: number.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().settings).toMatchObject({
      displayPhoneNumber: '15550009999',
      verifiedName: 'Acme Shop',
    });
    expect(res.body).not.toContain(number.accessToken);
    expect(res.body).not.toContain(number.appSecret);
    const { webhookUrl, verifyToken } = res.json().connection;
    expect(webhookUrl).toBe(`${t.base}/webhooks/whatsapp/${res.json().id}`);
    expect(verifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await sandbox.subscribe(number.phoneNumberId, webhookUrl, 'wrong-token')).toBe(false);
    expect(await sandbox.subscribe(number.phoneNumberId, webhookUrl, verifyToken)).toBe(true);
  });

  it('customer messages (one POST or a batch) → one conversation; retries and bad signatures store nothing', async () => {
    await connect();
    const first = await sandbox.customerSends(number.phoneNumberId, {
      from: MARIA,
      name: 'Мария',
      content: { text: 'Здравствуйте! Где заказ / order?' },
    });
    expect(first.status).toBe(200);
    expect(await sandbox.redeliverLast(number.phoneNumberId)).toBe(200);
    const batch = await sandbox.customerBatch(number.phoneNumberId, [
      {
        from: MARIA,
        name: 'Мария',
        content: { location: { latitude: 55.75, longitude: 37.61, name: 'Дом' } },
      },
      { from: MARIA, name: 'Мария', content: { reaction: { messageId: first.id, emoji: '🙏' } } },
    ]);
    expect(batch.map((b) => b.status)).toEqual([200, 200]);

    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const forged = await fetch(connection.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-app-secret').update(body).digest('hex')}`,
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await count('inbound_events')).toBe(3);
    await t.drainJobs();

    const convs = await conversations();
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ contact: { name: 'Мария' }, channel: { type: 'whatsapp' } });
    const msgs = await messagesOf(convs[0].id);
    expect(msgs.map((m: { contentKind: string; text: string }) => [m.contentKind, m.text])).toEqual([
      ['text', 'Здравствуйте! Где заказ / order?'],
      ['location', 'Дом (55.75, 37.61)'],
      ['text', 'Reacted 🙏'],
    ]);
    expect(msgs[0].providerMessageId).toBe(first.id);
    const contact = await t.ctx.db.kysely.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
    expect(contact.phone).toBe(`+${MARIA}`);
  });

  it('a customer’s edit replaces the text (old kept); a revoke marks the message deleted, text kept', async () => {
    await connect();
    const first = await sandbox.customerSends(number.phoneNumberId, {
      from: MARIA,
      name: 'Мария',
      content: { text: 'Size M please' },
    });
    const second = await sandbox.customerSends(number.phoneNumberId, {
      from: MARIA,
      content: { text: 'My card is 4111 1111 1111 1111' },
    });
    await t.drainJobs();
    const [conv] = await conversations();
    const edit = await sandbox.customerChanges(number.phoneNumberId, {
      from: MARIA,
      original: first.id,
      text: 'Size L please',
    });
    const revoke = await sandbox.customerChanges(number.phoneNumberId, { from: MARIA, original: second.id });
    expect([edit.status, revoke.status]).toEqual([200, 200]);
    expect(revoke.message).toMatchObject({ type: 'revoke', revoke: { original_message_id: second.id } });
    // Meta redelivers; a revoke naming a message Switchboard never stored changes nothing.
    expect(await sandbox.redeliverLast(number.phoneNumberId)).toBe(200);
    const stray = await sandbox.customerChanges(number.phoneNumberId, {
      from: MARIA,
      original: 'wamid.HBgLNzk5OTAwMDExMjIVAgARGBJVTktOT1dO',
    });
    expect(stray.status).toBe(200);
    await t.drainJobs();

    const msgs = await messagesOf(conv.id);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatchObject({
      providerMessageId: first.id,
      text: 'Size L please',
      meta: { edits: [expect.objectContaining({ text: 'Size M please' })] },
    });
    expect(msgs[0].meta.editedAt).toBeGreaterThan(0);
    expect(msgs[0].meta.deletedAt).toBeUndefined();
    expect(msgs[1]).toMatchObject({
      providerMessageId: second.id,
      text: 'My card is 4111 1111 1111 1111',
      meta: { deletedBy: 'contact' },
    });
    expect(msgs[1].meta.deletedAt).toBeGreaterThan(0);
    expect(await count('messages')).toBe(2);
  });

  it('operator reply → Graph → statuses sent, delivered, read come back as ticks', async () => {
    await connect();
    await sandbox.customerSends(number.phoneNumberId, {
      from: MARIA,
      name: 'Мария',
      content: { text: 'Есть размер M?' },
    });
    await t.drainJobs();
    const [conv] = await conversations();
    const id = await reply(conv.id, 'Да, есть!', 'w-1');
    await t.drainJobs();
    const [sent] = sandbox.sent(number.phoneNumberId, MARIA);
    expect(sent!.body).toMatchObject({ to: MARIA, type: 'text', text: { body: 'Да, есть!' } });
    const afterSend = await messageById(conv.id, id);
    expect(afterSend.providerMessageId).toBe(sent!.id);
    // The sandbox fires its "sent" and "delivered" webhooks as soon as it answers, as Meta does, so
    // they may already have been applied by the time the send job's drain returns.
    expect(['sent', 'delivered']).toContain(afterSend.deliveryStatus);

    await sandbox.settle();
    await t.drainJobs();
    expect((await messageById(conv.id, id)).deliveryStatus).toBe('delivered');
    await sandbox.customerReads(number.phoneNumberId, MARIA);
    await t.drainJobs();
    expect((await messageById(conv.id, id)).deliveryStatus).toBe('read');
    // A late duplicate "delivered" cannot move the ticks back.
    expect(await sandbox.redeliverLast(number.phoneNumberId)).toBe(200);
    await t.drainJobs();
    expect((await messageById(conv.id, id)).deliveryStatus).toBe('read');
  });

  it('with a live worker, statuses that race the send job still land', async () => {
    await connect();
    await t.startWorker();
    await sandbox.customerSends(number.phoneNumberId, { from: MARIA, content: { text: 'Алло?' } });
    const until = async <T>(what: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
      for (let i = 0; i < 200; i++) {
        const v = await what();
        if (ok(v)) return v;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('timed out');
    };
    const [conv] = await until(conversations, (c) => c.length === 1);
    // Several replies in a row: the sandbox fires sent + delivered as soon as it answers each send.
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await reply(conv.id, `Ответ ${i}`, `live-${i}`));
    for (const id of ids) {
      const m = await until(
        () => messageById(conv.id, id),
        (x) => x.deliveryStatus === 'delivered',
      );
      expect(m.providerMessageId).toMatch(/^wamid\./);
    }
  });

  it('outside the 24-hour window the reply fails with window_closed', async () => {
    await connect();
    await sandbox.customerSends(number.phoneNumberId, { from: MARIA, content: { text: 'Спасибо' } });
    await t.drainJobs();
    const [conv] = await conversations();
    sandbox.advance(25 * 3600_000);
    const id = await reply(conv.id, 'Как вам заказ?', 'w-2');
    await t.drainJobs();
    await sandbox.settle();
    await t.drainJobs();
    const m = await messageById(conv.id, id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.error).toMatchObject({
      code: 'window_closed',
      message: expect.stringMatching(/24 hours.*template/),
    });
  });

  it('image, voice and document are fetched with the bearer token, stored and served', async () => {
    await connect();
    await sandbox.customerBatch(number.phoneNumberId, [
      { from: MARIA, content: { image: PNG, mimeType: 'image/png', caption: 'вот так' } },
      { from: MARIA, content: { audio: OGG, voice: true } },
      { from: MARIA, content: { document: PDF, filename: 'счёт.pdf' } },
    ]);
    await t.drainJobs();
    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs.map((m: { contentKind: string }) => m.contentKind)).toEqual(['image', 'voice', 'document']);
    const files = [PNG, OGG, PDF];
    for (const [i, m] of msgs.entries()) {
      const att = m.attachments[0];
      expect(att.url).toBe(`/api/v1/attachments/${att.id}`);
      const res = await as(t.admin, 'GET', att.url);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload).toEqual(files[i]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const row = await t.ctx.db.kysely
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', att.id)
        .executeTakeFirstOrThrow();
      expect(row.sha256).toBe(createHash('sha256').update(files[i]!).digest('hex'));
    }
    const doc = await as(t.admin, 'GET', msgs[2].attachments[0].url);
    expect(doc.headers['content-type']).toBe('application/pdf');
    expect(doc.headers['content-disposition']).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('счёт.pdf')}`,
    );
    expect(msgs[0].text).toBe('вот так');
  });
});
