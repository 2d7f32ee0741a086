import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { parseCsv } from '../../lib/csv.ts';
import { rebuildReports } from '../reports/rebuild-reports.ts';
import {
  addOperator,
  conversationOf,
  type Operator,
  postInbound,
  setRouting,
} from '../routing/routing-test-kit.ts';

const dialects = await testDialects();
const HOUR = 3_600_000;
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
const DAY_Q = 'from=2026-01-05&to=2026-01-06&tz=Europe/Moscow';

/**
 * The survey end to end on the API channel (no buttons: the customer types the answer): settings,
 * sending on resolution, digit and emoji answers, the comment, the window, opt-outs, and every place
 * the rating shows (the conversation, the event, reports, drill-down, export, rebuild).
 */
describe.each(dialects)('CSAT survey (%s)', (dialect) => {
  // Not emptied between tests: the tests read the survey replies from a mark they set.
  const callback = new FakeCallbackServer();
  beforeAll(async () => {
    await callback.start();
  });
  afterAll(async () => {
    await callback.stop();
  });
  const t = useTestApp(dialect, {
    per: 'suite',
    clock: T0,
    apiChannel: () => ({ callbackUrl: callback.url }),
  });
  let alice: Operator;

  beforeAll(async () => {
    alice = await addOperator(t, 'Alice');
  });

  const inbound = async (customer: string, text: string) => {
    await postInbound(t, t.channel, customer, text);
    await t.drainJobs();
  };
  const resolve = async (id: string) => {
    const r = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    expect(r.statusCode, r.body).toBe(200);
    await t.drainJobs();
  };
  const conversation = async (id: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json();
  const conversationsOf = async (customer: string) =>
    t.ctx.db.kysely
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.id', 'c.status'])
      .where('i.external_id', '=', customer)
      .orderBy('c.created_at')
      .execute();
  // The fake provider numbers its ids by count: read from a mark rather than clearing the list.
  let mark = 0;
  const sentTexts = () =>
    callback.received.slice(mark).map((r) => (r.body as { message: { text: string } }).message.text);
  /** A customer writes, Alice takes and answers it, and it is resolved: the survey goes out. */
  const served = async (customer: string) => {
    await inbound(customer, 'Where is my order?');
    const id = (await conversationOf(t, customer)).id;
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { assigneeId: alice.userId });
    await t.as(alice, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'Shipped',
      clientMessageId: `c-${customer}`,
    });
    await t.drainJobs();
    await resolve(id);
    return id;
  };

  it('settings: off with default texts until an admin switches it on; operators may not change it', async () => {
    const get = await t.as(alice, 'GET', `/api/v1/channels/${t.channel.id}/csat`);
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({
      enabled: false,
      windowHours: 24,
      question: get.json().defaults.question,
    });
    const denied = await t.as(alice, 'PATCH', `/api/v1/channels/${t.channel.id}/csat`, { enabled: true });
    expect(denied.statusCode).toBe(403);
    const bad = await t.as(t.admin, 'PATCH', `/api/v1/channels/${t.channel.id}/csat`, { windowHours: 0 });
    expect(bad.statusCode).toBe(400);
    // Nothing is sent while it is off.
    await served('off-1');
    expect(sentTexts()).toEqual(['Shipped']);
    const on = await t.as(t.admin, 'PATCH', `/api/v1/channels/${t.channel.id}/csat`, {
      enabled: true,
      windowHours: 48,
      question: { ru: 'Оцените нас от 1 до 5' },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({
      enabled: true,
      windowHours: 48,
      question: { ru: 'Оцените нас от 1 до 5' },
    });
    expect(on.json().question.en).toBe(on.json().defaults.question.en);
  });

  it('sends the survey in the channel language; a digit answer rates without reopening, the next message is the comment', async () => {
    await setRouting(t, t.channel.id, { language: 'ru' });
    mark = callback.received.length;
    const id = await served('cust-1');
    expect(sentTexts()).toEqual(['Shipped', 'Оцените нас от 1 до 5']);
    t.clock.advance(60_000);
    await inbound('cust-1', ' 4 ');
    t.clock.advance(60_000);
    await inbound('cust-1', 'Fast, but the parcel was wet');
    expect(await conversationsOf('cust-1')).toEqual([{ id, status: 'resolved' }]);
    const c = await conversation(id);
    expect(c.status).toBe('resolved');
    expect(c.csat).toEqual({ rating: 4, comment: 'Fast, but the parcel was wet', ratedAt: T0 + 60_000 });
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select('payload')
      .where('type', '=', 'csat.received')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload))).toMatchObject([
      { conversationId: id, rating: 4, comment: null },
      { conversationId: id, rating: 4, comment: 'Fast, but the parcel was wet' },
    ]);
    // After the comment, the customer's messages behave as always: a new conversation.
    await inbound('cust-1', 'One more question');
    const all = await conversationsOf('cust-1');
    expect(all).toHaveLength(2);
    expect(all[1]!.status).toBe('open');
    await setRouting(t, t.channel.id, { language: 'en' });
  });

  it('reads emoji; a message that is not a rating takes the normal path; after the window nothing is taken', async () => {
    const a = await served('cust-2');
    await inbound('cust-2', '👎');
    expect((await conversation(a)).csat).toMatchObject({ rating: 1, comment: null });

    const b = await served('cust-3');
    await inbound('cust-3', 'Actually I have another problem');
    expect((await conversation(b)).csat).toBeNull();
    expect(await conversationsOf('cust-3')).toHaveLength(2);
    // While the new conversation is open a "5" belongs to it, not to the old survey.
    await inbound('cust-3', '5');
    expect((await conversation(b)).csat).toBeNull();

    const c = await served('cust-4');
    t.clock.advance(48 * HOUR);
    await inbound('cust-4', '⭐⭐⭐⭐⭐');
    expect((await conversation(c)).csat).toBeNull();
    const convs = await conversationsOf('cust-4');
    expect(convs).toHaveLength(2);
    expect(convs[0]!.status).toBe('resolved');
  });

  it('respects an opt-out: the survey is skipped and the refusal recorded', async () => {
    await inbound('cust-5', 'Hello');
    const id = (await conversationOf(t, 'cust-5')).id;
    await inbound('cust-5', 'STOP');
    mark = callback.received.length;
    await resolve(id);
    const survey = await t.ctx.db.kysely
      .selectFrom('csat_surveys')
      .selectAll()
      .where('conversation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(survey).toMatchObject({ status: 'skipped', skip_reason: 'opted_out', message_id: null });
    expect(sentTexts().filter((x) => x.includes('1'))).toEqual([]);
    const refused = await t.ctx.db.kysely
      .selectFrom('refused_sends')
      .select('reason')
      .where('conversation_id', '=', id)
      .where('path', '=', 'automatic')
      .execute();
    expect(refused.map((r) => r.reason)).toContain('opted_out');
  });

  it('reports, drill-down, export and rebuild agree on the ratings (4 and 1, both credited to Alice)', async () => {
    const get = async (url: string) => {
      const r = await t.as(t.admin, 'GET', `/api/v1/${url}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const check = async () => {
      expect((await get(`reports/overview?${DAY_Q}`)).csat).toEqual({ responses: 2, average: 2.5 });
      const series = await get(`reports/timeseries?${DAY_Q}&metric=csat_average&interval=day`);
      expect(series.data.map((d: { value: number | null }) => d.value)).toEqual([2.5, null]);
      const responses = await get(`reports/timeseries?${DAY_Q}&metric=csat_responses&interval=day`);
      expect(responses.data.map((d: { value: number | null }) => d.value)).toEqual([2, 0]);
      const ops = await get(`reports/operators?${DAY_Q}`);
      expect(ops.data.find((o: { userId: string }) => o.userId === alice.userId).csat).toBe(2.5);
      expect((await get(`reports/channels?${DAY_Q}`)).data[0].csat).toBe(2.5);
      expect((await get(`reports/overview?${DAY_Q}&operator=${t.admin.userId}`)).csat).toEqual({
        responses: 0,
        average: null,
      });
    };
    await check();
    const low = await get('conversations?csatBelow=3');
    expect(low.items.map((c: { id: string }) => c.id)).toEqual([(await conversationsOf('cust-2'))[0]!.id]);
    expect((await get('conversations?csatBelow=5')).items).toHaveLength(2);

    await rebuildReports(t.ctx, t.admin.accountId);
    await check();

    const start = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'conversations', format: 'csv' });
    expect(start.statusCode, start.body).toBe(202);
    await t.drainJobs();
    const file = await t.as(t.admin, 'GET', `/api/v1/exports/${start.json().id}/download`);
    const rows = parseCsv(file.rawPayload.toString('utf8'));
    const header = rows[0]!;
    const col = header.indexOf('CSAT');
    expect(header[col + 1]).toBe('CSAT comment');
    const cust1 = (await conversationsOf('cust-1'))[0]!.id;
    const row = rows.find((r) => r[0] === cust1)!;
    expect([row[col], row[col + 1]]).toEqual(['4', 'Fast, but the parcel was wet']);
  });
});
