import { EVENT_PAYLOAD_SCHEMAS, type EventType, PUBLIC_EVENT_TYPES } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelKit } from '../../../test/channel-kit.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { EVENT_LISTENER_JOB } from './event-listener.job.ts';
import { type EmittedEvent, isEvent } from './event-listeners.ts';
import { transact } from './unit-of-work.ts';

const dialects = await testDialects();

describe.each(dialects)('event listeners (%s)', (dialect) => {
  let t: TestApp;
  let channel: { id: string; secret: string };

  beforeEach(async () => {
    t = await createTestApp(dialect);
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' });
    channel = { id: res.json().id, secret: res.json().connection.secret };
  });
  afterEach(async () => {
    await t.close();
  });

  async function inbound(contact: string, text: string): Promise<void> {
    await channelKit(t).inbound(channel, contact, text);
  }

  const listenerJobs = () =>
    t.ctx.db.kysely.selectFrom('jobs').selectAll().where('type', '=', EVENT_LISTENER_JOB).execute();

  it('a job listener gets one durable job per matching event, written with the event, run after commit', async () => {
    const seen: EmittedEvent[] = [];
    t.ctx.listeners.register({
      name: 'test.jobs',
      mode: 'job',
      events: ['message.created'],
      accepts: (e) => isEvent(e, 'message.created') && e.payload.direction === 'in',
      orderKey: (e) => (isEvent(e, 'message.created') ? `test:${e.payload.conversationId}` : undefined),
      async handle(_ctx, e) {
        seen.push(e);
      },
    });
    await inbound('ann', 'hello');
    expect(seen).toHaveLength(1);
    const e = seen[0]!;
    expect(e.type).toBe('message.created');
    expect(e.payload).toMatchObject({ direction: 'in', text: 'hello', authorKind: 'contact' });
    const jobs = await listenerJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.order_key).toBe(`test:${(e.payload as { conversationId: string }).conversationId}`);
    expect(jobs[0]!.status).toBe('done');

    // An operator's reply is a message.created too, but `accepts` turns it away: no job at all.
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'hi',
      clientMessageId: 'c1',
    });
    expect(reply.statusCode).toBe(202);
    await t.drainJobs();
    expect(await listenerJobs()).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });

  it('an event that rolls back leaves no listener job and no listener write behind', async () => {
    t.ctx.listeners.register({
      name: 'test.jobs',
      mode: 'job',
      events: ['presence.updated'],
      async handle() {},
    });
    t.ctx.listeners.register({
      name: 'test.in-tx',
      mode: 'in-transaction',
      events: ['presence.updated'],
      async handle(_ctx, uow, e) {
        await uow.enqueue({ type: 'test.marker', payload: { eventId: e.id }, accountId: e.accountId });
      },
    });
    const emit = (fail: boolean) =>
      transact(t.ctx, async (uow) => {
        uow.emit(t.admin.accountId, 'presence.updated', { userId: t.admin.userId, availability: 'away' });
        if (fail) throw new Error('boom');
      });
    await expect(emit(true)).rejects.toThrow('boom');
    expect(await listenerJobs()).toHaveLength(0);
    const markers = () =>
      t.ctx.db.kysely.selectFrom('jobs').select('id').where('type', '=', 'test.marker').execute();
    expect(await markers()).toHaveLength(0);
    await emit(false);
    expect(await listenerJobs()).toHaveLength(1);
    expect(await markers()).toHaveLength(1);
  });

  it('a listener job that fails is retried and runs again with the same event id', async () => {
    const ids: string[] = [];
    t.ctx.listeners.register({
      name: 'test.flaky',
      mode: 'job',
      events: ['presence.updated'],
      async handle(_ctx, e) {
        ids.push(e.id);
        if (ids.length === 1) throw new Error('receiver down');
      },
    });
    await transact(t.ctx, async (uow) => {
      uow.emit(t.admin.accountId, 'presence.updated', { userId: t.admin.userId, availability: 'away' });
    });
    await t.drainJobs();
    // The retry waits out its backoff: bring it forward instead of sleeping.
    await t.ctx.db.kysely
      .updateTable('jobs')
      .set({ run_at: 0 })
      .where('type', '=', EVENT_LISTENER_JOB)
      .execute();
    await t.drainJobs();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('every event of a real conversation matches its declared payload schema; status changes say resolved/reopened', async () => {
    await inbound('bob', 'where is my order?');
    const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
    for (const status of ['resolved', 'open'] as const) {
      const res = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, { status });
      expect(res.statusCode).toBe(200);
    }
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, { priority: 'high', labels: ['vip'] });
    await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'note',
      private: true,
      clientMessageId: 'n1',
    });
    await t.drainJobs();
    const rows = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('account_id', '=', t.admin.accountId)
      .orderBy('seq')
      .execute();
    for (const r of rows) {
      const parsed = EVENT_PAYLOAD_SCHEMAS[r.type as EventType].safeParse(JSON.parse(r.payload));
      expect(parsed.error, `${r.type} ${r.payload}`).toBeUndefined();
    }
    const types = rows.map((r) => r.type);
    expect(types.slice(0, 3)).toEqual(['contact.created', 'conversation.created', 'message.created']);
    expect(types.filter((x) => x === 'conversation.resolved')).toHaveLength(1);
    expect(types.filter((x) => x === 'conversation.reopened')).toHaveLength(1);
    expect(types.indexOf('conversation.resolved')).toBeLessThan(types.indexOf('conversation.reopened'));
    const contact = JSON.parse(rows[0]!.payload);
    expect(contact).toMatchObject({ name: 'bob', identities: [{ externalId: 'bob' }] });
    const note = rows.filter((r) => r.type === 'message.created').map((r) => JSON.parse(r.payload));
    expect(note.at(-1)).toMatchObject({ private: true, text: 'note', direction: 'out' });
  });

  it('the search entry of a message is written by its listener in the same transaction', async () => {
    await inbound('carol', 'refund please');
    const hits = await t.as(t.admin, 'GET', '/api/v1/search?q=refunds');
    expect(hits.statusCode).toBe(200);
    expect(JSON.stringify(hits.json())).toContain('refund please');
    const contacts = await t.as(t.admin, 'GET', '/api/v1/search?q=carol');
    expect(JSON.stringify(contacts.json())).toContain('carol');
  });

  it('documents what a subscriber receives for every public event in the OpenAPI webhooks section', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const type of PUBLIC_EVENT_TYPES) {
      const body = doc.webhooks[type].post.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(expect.arrayContaining(['id', 'type', 'createdAt', 'data']));
      expect(doc.webhooks[type].post.description).toContain('X-Switchboard-Signature');
    }
    const msg = doc.webhooks['message.created'].post.requestBody.content['application/json'].schema;
    expect(msg.properties.data.properties.direction.enum).toEqual(['in', 'out']);
  });
});
