import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POISON_MARK, installPoisonTrigger, removePoisonTrigger } from '../../../test/poison-trigger.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { signInOtherAccount } from '../../../test/other-account.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { signApiBody } from '../channels/api/api-signature.ts';

const dialects = await testDialects();

describe.each(dialects)('poison inbound events (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now });
  let channelId: string;
  let secret: string;
  let sandbox: TelegramSandbox;

  beforeAll(async () => {
    sandbox = await new TelegramSandbox().start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop backend' });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    secret = res.json().connection.secret;
  });

  const post = (body: unknown) => {
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': signApiBody(secret, raw) },
      payload: raw,
    });
  };
  const message = (n: number, text: string, customer = 'cust-1') => ({
    eventId: `evt-${customer}-${n}`,
    contact: { externalId: customer, name: 'Mary' },
    message: { externalId: `m-${customer}-${n}`, text },
  });
  const texts = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('messages')
        .select(['body', 'provider_message_id'])
        .orderBy('provider_message_id')
        .execute()
    ).map((m) => m.body);
  /** Runs due jobs, moving the t.clock past each retry's backoff, until nothing is left to run. */
  const drainWithRetries = async () => {
    for (let i = 0; i < 20; i++) {
      await t.drainJobs();
      t.clock.advance(5_000);
    }
    await t.drainJobs();
  };

  it('a message with NUL and lone surrogates in its text and contact name is delivered, cleaned', async () => {
    const res = await post({
      eventId: 'evt-nul',
      contact: { externalId: 'cust-nul', name: 'Ma\u0000ry \uD800' },
      message: { externalId: 'm-nul', text: 'Hello\u0000 world \uDC00!' },
    });
    expect(res.statusCode).toBe(200);
    await t.drainJobs();
    expect(await texts()).toEqual(['Hello world \uFFFD!']);
    const contact = await t.ctx.db.kysely.selectFrom('contacts').select('name').executeTakeFirstOrThrow();
    expect(contact.name).toBe('Mary \uFFFD');
    const ev = await t.ctx.db.kysely.selectFrom('inbound_events').selectAll().executeTakeFirstOrThrow();
    expect(ev.processed_at).not.toBeNull();
    expect(ev.failed_at).toBeNull();
  });

  it('a Telegram message with NUL arrives with the NUL stripped', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const token = sandbox.createBot({ username: 'poison_bot', firstName: 'Poison' }).token;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: { cookie: t.admin.cookie, 'x-csrf-token': t.admin.csrf, host: new URL(base).host },
      payload: { type: 'telegram', name: 'Telegram', settings: { botToken: token, apiBaseUrl: sandbox.url } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = await sandbox.customerSends(token, {
      from: { id: 777, first_name: 'Al\u0000ice' },
      content: { text: 'Where\u0000 is it?' },
    });
    expect(d.status).toBe(200);
    await t.drainJobs();
    expect(await texts()).toEqual(['Where is it?']);
  });

  it('an event that fails in processing becomes a dead event and stops blocking the customer', async () => {
    await installPoisonTrigger(t.ctx.db.kysely, dialect);
    expect((await post(message(1, `first ${POISON_MARK}`))).statusCode).toBe(200);
    expect((await post(message(2, 'second'))).statusCode).toBe(200);
    expect((await post(message(3, 'third'))).statusCode).toBe(200);
    await drainWithRetries();

    // The customer's later messages arrived, in order, despite the one before them failing for good.
    expect(await texts()).toEqual(['second', 'third']);
    const jobs = await t.ctx.db.kysely.selectFrom('jobs').select(['status', 'attempts']).execute();
    expect(jobs.filter((j) => j.status === 'dead')).toEqual([{ status: 'dead', attempts: 3 }]);

    const list = await t.as(t.admin, 'GET', '/api/v1/dead-events');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const dead = list.json().items[0];
    expect(dead).toMatchObject({
      providerEventId: 'evt-cust-1-1',
      status: 'dead',
      channel: { id: channelId, type: 'api', name: 'Shop backend' },
    });
    expect(dead.lastError).toMatch(/poison message refused/);

    const detail = await t.as(t.admin, 'GET', `/api/v1/dead-events/${dead.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().payload).toMatchObject({ message: { text: `first ${POISON_MARK}` } });

    // Retrying while the cause is still there: dead again, with the error.
    const retry1 = await t.as(t.admin, 'POST', `/api/v1/dead-events/${dead.id}/retry`);
    expect(retry1.statusCode, retry1.body).toBe(200);
    expect(retry1.json().status).toBe('retrying');
    expect((await t.as(t.admin, 'GET', '/api/v1/dead-events')).json().items).toHaveLength(0);
    await drainWithRetries();
    expect((await t.as(t.admin, 'GET', `/api/v1/dead-events/${dead.id}`)).json().status).toBe('dead');

    // The cause removed, a retry delivers it.
    await removePoisonTrigger(t.ctx.db.kysely, dialect);
    expect((await t.as(t.admin, 'POST', `/api/v1/dead-events/${dead.id}/retry`)).statusCode).toBe(200);
    await drainWithRetries();
    expect(await texts()).toEqual([`first ${POISON_MARK}`, 'second', 'third']);
    const after = await t.as(t.admin, 'GET', `/api/v1/dead-events/${dead.id}`);
    expect(after.json()).toMatchObject({ status: 'processed', failedAt: null });
    // Not dead any more: a second retry is refused.
    expect((await t.as(t.admin, 'POST', `/api/v1/dead-events/${dead.id}/retry`)).statusCode).toBe(409);
    const audit = await t.as(t.admin, 'GET', '/api/v1/audit-log?action=dead_event.retried');
    expect(audit.json().items).toHaveLength(2);
  });

  it('an event whose processing kills the worker twice becomes dead; one crash is simply retried', async () => {
    // A worker that dies mid-job leaves its lease to expire: claiming without completing is exactly that.
    const crash = async () => {
      expect(await t.ctx.queue.claim(1, 1000)).toHaveLength(1);
      t.clock.advance(2000);
    };
    expect((await post(message(1, 'survives one crash', 'c-one'))).statusCode).toBe(200);
    await crash();
    await t.drainJobs();
    expect(await texts()).toEqual(['survives one crash']);

    expect((await post(message(1, 'kills the worker', 'c-two'))).statusCode).toBe(200);
    expect((await post(message(2, 'next one', 'c-two'))).statusCode).toBe(200);
    await crash();
    await crash();
    await drainWithRetries();
    expect(await texts()).toEqual(['survives one crash', 'next one']);
    const [dead] = (await t.as(t.admin, 'GET', '/api/v1/dead-events')).json().items;
    expect(dead).toMatchObject({ providerEventId: 'evt-c-two-1', status: 'dead' });
    expect(dead.lastError).toMatch(/stopped the worker 2 times/);
  });

  it('a discarded dead event is kept; another account cannot see or touch it', async () => {
    await installPoisonTrigger(t.ctx.db.kysely, dialect);
    await post(message(1, POISON_MARK));
    await drainWithRetries();
    const [dead] = (await t.as(t.admin, 'GET', '/api/v1/dead-events')).json().items;
    expect(dead).toBeDefined();

    const other = await signInOtherAccount(t, {
      accountName: 'Other',
      email: 'other@example.com',
      password: 'another good password',
      name: 'Oscar',
    });
    expect((await t.as(other, 'GET', '/api/v1/dead-events')).json().items).toEqual([]);
    for (const [method, url] of [
      ['GET', `/api/v1/dead-events/${dead.id}`],
      ['POST', `/api/v1/dead-events/${dead.id}/retry`],
      ['POST', `/api/v1/dead-events/${dead.id}/discard`],
    ] as const) {
      const res = await t.as(other, method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }

    const discarded = await t.as(t.admin, 'POST', `/api/v1/dead-events/${dead.id}/discard`);
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json()).toMatchObject({ status: 'discarded', discardedBy: { name: 'Ada Admin' } });
    expect((await t.as(t.admin, 'GET', '/api/v1/dead-events')).json().items).toEqual([]);
    const kept = await t.as(t.admin, 'GET', '/api/v1/dead-events?status=discarded');
    expect(kept.json().items.map((e: { id: string }) => e.id)).toEqual([dead.id]);
    expect((await t.as(t.admin, 'POST', `/api/v1/dead-events/${dead.id}/discard`)).statusCode).toBe(409);
  });

  it('pages through dead events newest first', async () => {
    await installPoisonTrigger(t.ctx.db.kysely, dialect);
    for (let i = 0; i < 5; i++) {
      await post(message(i, `${POISON_MARK} ${i}`, `c${i}`));
      await drainWithRetries();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.as(
        t.admin,
        'GET',
        `/api/v1/dead-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((e: { providerEventId: string }) => e.providerEventId));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => `evt-c${i}-${i}`));
  });
});
