import { eventEnvelopeSchema } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { seedUser } from '../../../test/seed.ts';
import { channelKit } from '../../../test/channel-kit.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { runRetention } from '../retention/retention.service.ts';
import { readmeNodeVerifier, readmePythonVerify } from './readme-verifiers.ts';

const dialects = await testDialects();
const HOUR = 3_600_000;

describe.each(dialects)('outgoing webhooks (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let receiver: FakeCallbackServer;
  let channel: { id: string; secret: string };

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    receiver = await new FakeCallbackServer().start();
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' });
    channel = { id: res.json().id, secret: res.json().connection.secret };
  });
  afterEach(async () => {
    await receiver.stop();
    await t.close();
  });

  async function inbound(contact: string, text: string): Promise<void> {
    await channelKit(t).inbound(channel, contact, text);
  }

  async function hook(events: string[] = ['message.created']) {
    const res = await t.as(t.admin, 'POST', '/api/v1/webhooks', { url: receiver.url, events });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; secret: string };
  }

  const deliveries = async (id: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/webhooks/${id}/deliveries`)).json();

  /** Moves time past the next retry and runs what is due. */
  async function nextRetry(): Promise<void> {
    clock.advance(HOUR + 1000);
    await t.drainJobs();
  }

  it('creates, lists, changes and removes endpoints; the secret is shown once; bad input is refused', async () => {
    const h = await hook(['message.created', 'conversation.resolved']);
    expect(h.secret).toMatch(/^whsec_/);
    const list = (await t.as(t.admin, 'GET', '/api/v1/webhooks')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ url: receiver.url, active: true, pauseReason: null });
    expect(JSON.stringify(list)).not.toContain(h.secret);
    const patched = await t.as(t.admin, 'PATCH', `/api/v1/webhooks/${h.id}`, {
      active: false,
      events: ['contact.created'],
    });
    expect(patched.json()).toMatchObject({ active: false, events: ['contact.created'] });

    const bad = [
      { url: 'ftp://example.com/x', events: ['message.created'] },
      { url: 'http://10.1.2.3/hook', events: ['message.created'] },
      { url: receiver.url, events: ['presence.updated'] },
      { url: receiver.url, events: [] },
    ];
    for (const body of bad) {
      const res = await t.as(t.admin, 'POST', '/api/v1/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    expect((await t.as(op, 'GET', '/api/v1/webhooks')).json().error.code).toBe('forbidden');
    expect((await t.as(t.admin, 'DELETE', `/api/v1/webhooks/${h.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/webhooks/${h.id}`)).statusCode).toBe(404);
  });

  it('delivers the event signed as the README says; a receiver failing 3 times gets it once more with the same id', async () => {
    const h = await hook();
    receiver.script.push({ status: 500 }, { status: 503 }, { status: 502 });
    await inbound('ann', 'Where is my parcel?');
    expect(receiver.received).toHaveLength(1);
    await nextRetry();
    await nextRetry();
    expect(receiver.received).toHaveLength(3);
    await nextRetry();
    expect(receiver.received).toHaveLength(4);
    await nextRetry();
    expect(receiver.received).toHaveLength(4);

    const ids = new Set(receiver.received.map((r) => r.headers['x-switchboard-delivery']));
    expect(ids.size).toBe(1);
    const last = receiver.received[3]!;
    expect(last.headers['x-switchboard-event']).toBe('message.created');
    const envelope = eventEnvelopeSchema('message.created').parse(JSON.parse(last.raw));
    expect(envelope.data).toMatchObject({ text: 'Where is my parcel?', direction: 'in' });
    // Every attempt is signed afresh over its own timestamp and the same body.
    const verify = await readmeNodeVerifier();
    for (const r of receiver.received) expect(verify(h.secret, r.headers, r.raw)).toBe(true);
    expect(verify('whsec_wrong', last.headers, last.raw)).toBe(false);
    expect(verify(h.secret, last.headers, last.raw.replace('parcel', 'parsel'))).toBe(false);
    const old = { ...last.headers, 'x-switchboard-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
    expect(verify(h.secret, old, last.raw)).toBe(false);
    const py = readmePythonVerify(
      h.secret,
      {
        'X-Switchboard-Timestamp': String(last.headers['x-switchboard-timestamp']),
        'X-Switchboard-Signature': String(last.headers['x-switchboard-signature']),
      },
      last.raw,
    );
    if (py !== undefined) expect(py).toBe(true);

    const log = await deliveries(h.id);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 200,
      eventType: 'message.created',
    });
    const detail = (
      await t.as(t.admin, 'GET', `/api/v1/webhooks/${h.id}/deliveries/${log.items[0].id}`)
    ).json();
    expect(detail.history.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 502, 200]);
    expect(detail.requestBody).toBe(last.raw);
    expect(detail.history[0].requestHeaders['x-switchboard-delivery']).toBe(log.items[0].id);
    expect(typeof detail.history[0].durationMs).toBe('number');
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const h = await hook();
    receiver.script.push(
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 600_000).toUTCString() } },
    );
    await inbound('bob', 'hi');
    let d = (await deliveries(h.id)).items[0];
    expect(d.status).toBe('retrying');
    expect(d.nextAttemptAt).toBe(clock.now() + 120_000);
    clock.advance(119_000);
    await t.drainJobs();
    expect(receiver.received).toHaveLength(1);
    clock.advance(1_000);
    await t.drainJobs();
    expect(receiver.received).toHaveLength(2);
    d = (await deliveries(h.id)).items[0];
    expect(d.nextAttemptAt - clock.now()).toBeGreaterThan(590_000);
    expect(d.nextAttemptAt - clock.now()).toBeLessThanOrEqual(600_000);
    clock.advance(601_000);
    await t.drainJobs();
    expect((await deliveries(h.id)).items[0].status).toBe('delivered');
  });

  it('a 4xx is final; 10 refusals in a row pause the endpoint with the reason; turning it on resumes', async () => {
    const h = await hook();
    for (let i = 0; i < 10; i++) receiver.script.push({ status: 404 });
    await inbound('cat', 'one');
    await nextRetry();
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(h.id)).items[0]).toMatchObject({
      status: 'failed',
      lastStatusCode: 404,
      lastError: 'HTTP 404',
    });
    for (let i = 2; i <= 10; i++) await inbound(`cat${i}`, 'more');
    const paused = (await t.as(t.admin, 'GET', `/api/v1/webhooks/${h.id}`)).json();
    expect(paused.active).toBe(false);
    expect(paused.pauseReason).toMatchObject({ code: 'refused_repeatedly' });
    expect(paused.pauseReason.message).toContain('HTTP 404');
    await inbound('dan', 'not sent while paused');
    expect(receiver.received).toHaveLength(10);
    const resumed = await t.as(t.admin, 'PATCH', `/api/v1/webhooks/${h.id}`, { active: true });
    expect(resumed.json()).toMatchObject({ active: true, pauseReason: null, pausedAt: null });
    await inbound('eve', 'after resume');
    expect(receiver.received).toHaveLength(11);
  });

  it('retries for 24 hours, then gives the delivery up and pauses the endpoint', async () => {
    const h = await hook();
    for (let i = 0; i < 100; i++) receiver.script.push({ status: 500 });
    await inbound('fay', 'hello');
    for (let i = 0; i < 26; i++) await nextRetry();
    const d = (await deliveries(h.id)).items[0];
    expect(d.status).toBe('failed');
    const tries = receiver.received.length;
    expect(tries).toBeGreaterThan(10);
    await nextRetry();
    expect(receiver.received).toHaveLength(tries);
    const w = (await t.as(t.admin, 'GET', `/api/v1/webhooks/${h.id}`)).json();
    expect(w).toMatchObject({ active: false, pauseReason: { code: 'failing_for_24h' } });
  });

  it("keeps a conversation's order across retries; another conversation does not wait", async () => {
    await hook();
    receiver.script.push({ status: 500 });
    await inbound('gil', 'first');
    await inbound('gil', 'second');
    await inbound('hal', 'other customer');
    const texts = () => receiver.received.map((r) => (r.body as { data: { text: string } }).data.text);
    expect(texts()).toEqual(['first', 'other customer']);
    await nextRetry();
    expect(texts()).toEqual(['first', 'other customer', 'first', 'second']);
  });

  it('redelivers with the same delivery id; not while it is still being tried', async () => {
    const h = await hook();
    receiver.script.push({ status: 500 });
    await inbound('ivy', 'hello');
    const d = (await deliveries(h.id)).items[0];
    const busy = await t.as(t.admin, 'POST', `/api/v1/webhooks/${h.id}/deliveries/${d.id}/redeliver`);
    expect(busy.statusCode).toBe(409);
    await nextRetry();
    const again = await t.as(t.admin, 'POST', `/api/v1/webhooks/${h.id}/deliveries/${d.id}/redeliver`);
    expect(again.statusCode).toBe(202);
    await t.drainJobs();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['x-switchboard-delivery']))).toEqual(
      new Set([d.id]),
    );
    expect((await deliveries(h.id)).items[0]).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('only subscribed events of the own account are delivered; resolution and contacts have their events', async () => {
    await hook(['conversation.resolved', 'contact.created']);
    await inbound('jon', 'hi');
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, { status: 'resolved' });
    await t.drainJobs();
    expect(receiver.received.map((r) => r.headers['x-switchboard-event'])).toEqual([
      'contact.created',
      'conversation.resolved',
    ]);
    expect((receiver.received[1]!.body as { data: { status: string } }).data.status).toBe('resolved');
  });

  it('retention removes settled deliveries with their attempts, never one still being tried', async () => {
    const h = await hook();
    await inbound('kim', 'delivered');
    receiver.script.push({ status: 500 });
    await inbound('lea', 'still trying');
    const before = (await deliveries(h.id)).items;
    expect(before.map((d: { status: string }) => d.status).sort()).toEqual(['delivered', 'retrying']);
    clock.advance(31 * 24 * HOUR);
    const report = await runRetention(t.ctx);
    expect(report.webhookDeliveries).toBe(1);
    // A month on the session has expired too: the tables are read directly.
    const after = await t.ctx.db.kysely.selectFrom('webhook_deliveries').select(['id', 'status']).execute();
    expect(after.map((d) => d.status)).toEqual(['retrying']);
    const attempts = await t.ctx.db.kysely.selectFrom('webhook_attempts').select('delivery_id').execute();
    expect(new Set(attempts.map((a) => a.delivery_id))).toEqual(new Set([after[0]!.id]));
  });
});
