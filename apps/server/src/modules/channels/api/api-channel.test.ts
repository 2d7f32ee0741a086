import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelKit } from '../../../../test/channel-kit.ts';
import { FakeCallbackServer } from '../../../../test/fake-callback-server.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { signApiBody } from './api-signature.ts';

const dialects = await testDialects();

// A JPEG's first bytes are enough for the sniffer.
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  Buffer.from('JFIF\0 link photo'),
]);

/** A customer's file host: serves the same bytes at every path and records what was asked. */
async function serveFile(bytes: Buffer) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.each(dialects)('API channel end to end (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now });
  let callback: FakeCallbackServer;
  let channelId: string;
  let secret: string;

  let files: { url: string; hits: string[]; close(): Promise<void> };

  beforeAll(async () => {
    callback = await new FakeCallbackServer().start();
    files = await serveFile(JPEG);
  });
  afterAll(async () => {
    await callback.stop();
    await files.close();
  });
  beforeEach(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', {
      type: 'api',
      name: 'Shop backend',
      settings: { callbackUrl: callback.url },
    });
    expect(res.statusCode).toBe(201);
    channelId = res.json().id;
    secret = res.json().connection.secret;
    expect(res.json().connection.webhookUrl).toMatch(new RegExp(`/webhooks/api/${channelId}$`));
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    callback.received.length = 0;
    callback.script.length = 0;
  });

  const inbound = (over: Record<string, unknown> = {}) => ({
    eventId: 'evt-1',
    contact: { externalId: 'cust-42', name: 'Мария Иванова', phone: '+79990001122' },
    message: { externalId: 'm-1', text: 'Где мой заказ? <img src=x onerror=alert(1)>' },
    ...over,
  });
  const post = (body: unknown, sig?: string, id = channelId) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': sig ?? signApiBody(secret, raw),
      },
      payload: raw,
    });
  };

  it('verifies the signature on the raw bytes and stores nothing when it is wrong or missing', async () => {
    const body = inbound();
    const bad = await post(body, signApiBody('not-the-secret', JSON.stringify(body)));
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid_signature');
    const missing = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(missing.json().error.code).toBe('invalid_signature');
    // Same JSON, different bytes (whitespace): the signature of the other bytes must not pass.
    const raw = JSON.stringify(body, null, 2);
    const reformatted = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(secret, JSON.stringify(body)),
      },
      payload: raw,
    });
    expect(reformatted.statusCode).toBe(401);
    expect(await t.count('inbound_events')).toBe(0);
  });

  it('acknowledges after commit, ignores a retried event id, and opens one conversation', async () => {
    const first = await post(inbound());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'accepted', eventId: 'evt-1' });
    expect(await t.count('inbound_events')).toBe(1);
    const again = await post(inbound());
    expect(again.statusCode).toBe(200);
    expect(await t.count('inbound_events')).toBe(1);
    await t.drainJobs();

    const list = await t.as(t.admin, 'GET', '/api/v1/conversations');
    expect(list.statusCode).toBe(200);
    const convs = list.json().items;
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({
      status: 'open',
      contact: { name: 'Мария Иванова' },
      channel: { type: 'api' },
    });
    const msgs = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convs[0].id}/messages`)).json().items;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({
      direction: 'in',
      authorKind: 'contact',
      text: 'Где мой заказ? <img src=x onerror=alert(1)>',
      providerMessageId: 'm-1',
    });

    // A second message of the same customer (new event id) lands in the same conversation.
    await post(
      inbound({
        eventId: 'evt-2',
        message: { externalId: 'm-2', text: 'Ау?', timestamp: '2026-11-24T10:00:00Z' },
      }),
    );
    // The same provider message under a new event id is still one message.
    await post(inbound({ eventId: 'evt-3', message: { externalId: 'm-2', text: 'Ау?' } }));
    await t.drainJobs();
    expect(await t.count('conversations')).toBe(1);
    expect(await t.count('messages')).toBe(2);
    expect(await t.count('contacts')).toBe(1);
  });

  it('downloads link attachments into storage: the console loads our copy, never the link', async () => {
    const url = `${files.url}/p.jpg`;
    await post(
      inbound({
        message: {
          externalId: 'm-9',
          attachments: [
            { url, name: 'p.jpg', mimeType: 'image/jpeg' },
            { url: 'http://169.254.169.254/latest/meta-data/', name: 'meta.txt' },
          ],
        },
      }),
    );
    await t.drainJobs();
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    const msg = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/messages`)).json().items[0];
    expect(msg).toMatchObject({ contentKind: 'image', text: null });
    const [img, meta] = msg.attachments;
    expect(img).toMatchObject({ kind: 'image', name: 'p.jpg', url: `/api/v1/attachments/${img.id}` });
    expect(files.hits).toEqual(['/p.jpg']);
    const served = await t.as(t.admin, 'GET', img.url);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(JPEG)).toBe(true);
    // A link to a private address is refused by the guard: no copy, the failure recorded.
    expect(meta.url).not.toMatch(/^\/api\/v1\/attachments\//);
    const row = await t.ctx.db.kysely
      .selectFrom('attachments')
      .select(['download_status', 'download_error'])
      .where('id', '=', meta.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ download_status: 'failed' });
    expect(row.download_error).toMatch(/private address/);
  });

  it('rejects bad input with clear codes and stores nothing', async () => {
    const cases: [unknown, number, string][] = [
      ['{"eventId": ', 400, 'invalid_json'],
      [{ eventId: 'e', contact: { externalId: 'c' } }, 400, 'validation_error'],
      [inbound({ message: { externalId: 'm' } }), 400, 'validation_error'],
      [inbound({ eventId: 5 }), 400, 'validation_error'],
      [
        inbound({ message: { externalId: 'm', attachments: [{ url: 'javascript:alert(1)' }] } }),
        400,
        'validation_error',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const unknown = await post(inbound(), undefined, '0190aaaa-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const huge = await post(inbound({ message: { externalId: 'm', text: 'x'.repeat(1_100_000) } }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body_too_large');
    expect(await t.count('inbound_events')).toBe(0);
  });

  it('delivers a reply as a signed callback exactly once, idempotent on clientMessageId', async () => {
    await post(inbound());
    await t.drainJobs();
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    const send = () =>
      t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'Заказ в пути!',
        clientMessageId: 'c-1',
      });
    const r1 = await send();
    expect(r1.statusCode).toBe(202);
    expect(r1.json()).toMatchObject({ direction: 'out', deliveryStatus: 'queued', text: 'Заказ в пути!' });
    const r2 = await send();
    expect(r2.json().id).toBe(r1.json().id);
    expect(await t.count('jobs')).toBeGreaterThan(0);
    await t.drainJobs();
    expect(callback.received).toHaveLength(1);
    const cb = callback.received[0]!;
    expect(cb.headers['x-switchboard-signature']).toBe(signApiBody(secret, cb.raw));
    expect(cb.body).toMatchObject({
      event: 'message.created',
      message: { id: r1.json().id, conversationId: conv.id, text: 'Заказ в пути!' },
      contact: { externalId: 'cust-42' },
    });
    const msgs = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/messages`)).json().items;
    expect(msgs[1]).toMatchObject({ deliveryStatus: 'sent', providerMessageId: 'ext-1' });
    const after = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}`)).json();
    expect(after.firstResponseAt).not.toBeNull();
    expect(after.lastOutboundAt).not.toBeNull();
  });

  it('retries a failing callback with backoff, honours Retry-After, and fails for good on a 4xx', async () => {
    await post(inbound());
    await t.drainJobs();
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    callback.script.push({ status: 503 }, { status: 429, headers: { 'retry-after': '30' } });
    const sent = (
      await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'one',
        clientMessageId: 'c-1',
      })
    ).json();
    await t.drainJobs();
    expect(callback.received).toHaveLength(1);
    t.clock.advance(2_000);
    await t.drainJobs();
    expect(callback.received).toHaveLength(2);
    t.clock.advance(29_000);
    await t.drainJobs();
    expect(callback.received).toHaveLength(2);
    t.clock.advance(1_000);
    await t.drainJobs();
    expect(callback.received).toHaveLength(3);
    const ok = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/messages`))
      .json()
      .items.find((m: { id: string }) => m.id === sent.id);
    expect(ok.deliveryStatus).toBe('sent');

    callback.script.push({ status: 400, body: '{"error":"unknown customer"}' });
    const bad = (
      await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'two',
        clientMessageId: 'c-2',
      })
    ).json();
    await t.drainJobs();
    const failed = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/messages`))
      .json()
      .items.find((m: { id: string }) => m.id === bad.id);
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.error.code).toBe('rejected_by_callback');
    expect(failed.error.message).toContain('400');
    // Operators see our wording and the status, never what the receiver answered.
    expect(failed.error.message).not.toContain('unknown customer');
  });

  it('refuses a loopback callback URL unless ALLOW_PRIVATE_URLS lists it', async () => {
    const guarded = await createTestApp(dialect, { env: { ALLOW_PRIVATE_URLS: '' } });
    try {
      const ch = (
        await guarded.as(guarded.admin, 'POST', '/api/v1/channels', {
          type: 'api',
          name: 'Internal',
          settings: { callbackUrl: callback.url },
        })
      ).json();
      const raw = JSON.stringify(inbound());
      await channelKit(guarded).apiWebhook({ id: ch.id, secret: ch.connection.secret }, raw);
      await guarded.drainJobs();
      const conv = (await guarded.as(guarded.admin, 'GET', '/api/v1/conversations')).json().items[0];
      const sent = await guarded.as(guarded.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'hello',
        clientMessageId: 'c-ssrf',
      });
      expect(sent.statusCode).toBe(202);
      await guarded.drainJobs();
      const msg = (await guarded.as(guarded.admin, 'GET', `/api/v1/conversations/${conv.id}/messages`))
        .json()
        .items.find((m: { id: string }) => m.id === sent.json().id);
      expect(msg.deliveryStatus).toBe('failed');
      expect(msg.error.code).toBe('blocked_address');
      expect(callback.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
    // The suite's own app allowlists loopback (127.0.0.1,localhost,::1): the same URL is reached.
    await post(inbound());
    await t.drainJobs();
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'hello',
      clientMessageId: 'c-ok',
    });
    await t.drainJobs();
    expect(callback.received).toHaveLength(1);
  });

  it('keeps private notes away from the customer', async () => {
    await post(inbound());
    await t.drainJobs();
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    const note = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'VIP',
      clientMessageId: 'n-1',
      private: true,
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ private: true, deliveryStatus: null });
    await t.drainJobs();
    expect(callback.received).toHaveLength(0);
  });
});
