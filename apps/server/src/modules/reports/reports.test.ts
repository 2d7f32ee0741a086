import { beforeEach, describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import {
  addOperator,
  conversationOf,
  type Operator,
  postInbound,
  createOfficeSchedule,
  setRouting,
} from '../routing/routing-test-kit.ts';
import { rebuildReports } from './rebuild-reports.ts';

const dialects = await testDialects();
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
const DAY_Q = 'from=2026-01-05&to=2026-01-05&tz=Europe/Moscow';

describe.each(dialects)('reports (%s)', (dialect) => {
  const callback = useCallbackServer();
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callback.url }) });
  /** A fresh admin session after the clock jumps months ahead. */
  let me: Session | undefined;

  beforeEach(async () => {
    me = undefined;
  });

  const at = (ms: number) => t.clock.set(T0 + ms);
  const inbound = async (customer: string, text: string) => {
    await postInbound(t, t.channel, customer, text);
    await t.drainJobs();
  };
  const reply = async (who: Session, id: string, text = 'On it', isPrivate = false) => {
    const r = await t.as(who, 'POST', `/api/v1/conversations/${id}/messages`, {
      text,
      private: isPrivate,
      clientMessageId: `c-${Math.random().toString(36).slice(2)}`,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
  };
  const patch = async (id: string, body: unknown) => {
    const r = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, body);
    expect(r.statusCode, r.body).toBe(200);
  };
  const get = async (url: string) => {
    const r = await t.as(me ?? t.admin, 'GET', `/api/v1/reports/${url}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  /**
   * Two customers. A: greeted automatically, a colleague's note, Bob answers before anyone is assigned
   * and takes it afterwards, a second wait, resolution. B: assigned to Alice, answered by Bob.
   */
  async function scene(): Promise<{ a: string; b: string; alice: Operator; bob: Operator }> {
    const alice = await addOperator(t, 'Alice');
    const bob = await addOperator(t, 'Bob');
    await setRouting(t, t.channel.id, {
      automaticMessages: { throttleHours: 2, greeting: { enabled: true } },
    });
    await t.as(bob, 'PATCH', '/api/v1/me', { availability: 'online' });
    await inbound('cust-a', 'Where is my order?');
    await t.drainJobs();
    const a = (await conversationOf(t, 'cust-a')).id;
    at(1 * MIN);
    await reply(alice, a, 'internal: Bob knows this one', true);
    at(5 * MIN);
    await reply(bob, a, 'Checking');
    at(6 * MIN);
    await patch(a, { assigneeId: bob.userId });
    at(10 * MIN);
    await inbound('cust-a', 'Any news?');
    await inbound('cust-a', 'Hello?');
    at(12 * MIN);
    await reply(bob, a, 'Shipped today');
    at(20 * MIN);
    await patch(a, { status: 'resolved' });

    at(30 * MIN);
    await inbound('cust-b', 'Hi');
    await t.drainJobs();
    const b = (await conversationOf(t, 'cust-b')).id;
    at(31 * MIN);
    await patch(b, { assigneeId: alice.userId });
    at(33 * MIN);
    await reply(bob, b, 'Let me help');
    at(HOUR + 5 * MIN);
    await t.as(bob, 'PATCH', '/api/v1/me', { availability: 'away' });
    await t.drainJobs();
    return { a, b, alice, bob };
  }

  it('counts by definition: automatic messages and notes are never a response; FRT goes to whoever replied', async () => {
    const { alice, bob } = await scene();
    const o = await get(`overview?${DAY_Q}&details=true`);
    expect(o.conversations).toEqual({ created: 2, resolved: 1, reopened: 0, openAtEnd: 1 });
    expect(o.messages).toEqual({ inbound: 4, outbound: 3, automatic: 2, notes: 1 });
    // A: 10:00 → Bob 10:05 = 300 s (not the greeting at 10:00, not the note at 10:01); B: 10:30 → 10:33.
    expect(o.firstResponse).toEqual({ count: 2, median: 180, p90: 300 });
    // A's second wait starts at the first of two messages (10:10) and ends at Bob's 10:12.
    expect(o.nextResponse).toEqual({ count: 1, median: 120, p90: 120 });
    expect(o.resolution).toEqual({ count: 1, median: 1200, p90: 1200 });
    expect(o.waiting).toEqual({ count: 1, median: 420, p90: 420 });
    expect(o.handling).toEqual({ count: 1, median: 900, p90: 900 });

    const ops = (await get(`operators?${DAY_Q}`)).data as Array<Record<string, unknown>>;
    const row = (id: string) => ops.find((r) => r.userId === id)!;
    expect(row(bob.userId)).toMatchObject({
      name: 'Bob',
      conversations: 1,
      replies: 3,
      firstResponse: { median: 180, p90: 300 },
      resolution: { median: 1200, p90: 1200 },
      onlineSeconds: 3900,
    });
    // Alice was assigned to B, but Bob answered it: no first response of hers.
    expect(row(alice.userId)).toMatchObject({ replies: 0, firstResponse: { median: null, p90: null } });

    const dist = (await get(`distribution?${DAY_Q}&kind=first_response`)).data;
    expect(dist.slice(0, 3)).toEqual([
      { from: 0, to: 60, count: 0 },
      { from: 60, to: 300, count: 1 },
      { from: 300, to: 900, count: 1 },
    ]);
    // Operator filter: Bob's FRTs; Alice's none.
    expect((await get(`overview?${DAY_Q}&operator=${bob.userId}`)).firstResponse.count).toBe(2);
    expect((await get(`overview?${DAY_Q}&operator=${alice.userId}`)).firstResponse.count).toBe(0);
    // Outside the period nothing counts.
    const before = await get('overview?from=2026-01-04&to=2026-01-04&tz=Europe/Moscow');
    expect(before.conversations.created).toBe(0);
    expect(before.conversations.openAtEnd).toBe(0);
  });

  it('a reopening starts a new first-response clock at the next customer message', async () => {
    const { a, bob } = await scene();
    at(2 * HOUR);
    await patch(a, { status: 'open' });
    at(2 * HOUR + 10 * MIN);
    await inbound('cust-a', 'It did not arrive');
    at(2 * HOUR + 14 * MIN);
    await reply(bob, a, 'Sorry, resending');
    await t.drainJobs();
    const o = await get(`overview?${DAY_Q}`);
    expect(o.conversations).toMatchObject({ created: 2, reopened: 1, openAtEnd: 2 });
    expect(o.firstResponse).toEqual({ count: 3, median: 240, p90: 300 });
    const series = await get(`timeseries?${DAY_Q}&metric=conversations_reopened&interval=hour`);
    expect(series.data.find((d: { value: number }) => d.value === 1).t).toBe('2026-01-05T12:00:00+03:00');
  });

  it('drills down from a figure to the conversations behind it', async () => {
    const { a, b } = await scene();
    const ids = async (q: string) => {
      const r = await t.as(t.admin, 'GET', `/api/v1/conversations?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as Array<{ id: string }>).map((c) => c.id).sort();
    };
    expect(await ids(`resolvedFrom=${T0}&resolvedTo=${T0 + HOUR}`)).toEqual([a]);
    expect(await ids(`frtAbove=200`)).toEqual([a]);
    expect(await ids(`frtAbove=100`)).toEqual([a, b].sort());
    expect(await ids(`createdFrom=${T0 + 15 * MIN}&createdTo=${T0 + HOUR}`)).toEqual([b]);
    expect(await ids(`reopenedFrom=${T0}`)).toEqual([]);
    const bad = await t.as(t.admin, 'GET', '/api/v1/conversations?frtAbove=soon');
    expect(bad.json().error.code).toBe('validation_error');
  });

  it('rebuilding from history gives the same figures as the live rollups', async () => {
    await scene();
    const live = [
      await get(`overview?${DAY_Q}`),
      await get(`operators?${DAY_Q}`),
      await get(`channels?${DAY_Q}`),
    ];
    const r = await rebuildReports(t.ctx, t.admin.accountId);
    expect(r).toMatchObject({ conversations: 2, cycles: 2 });
    expect([
      await get(`overview?${DAY_Q}`),
      await get(`operators?${DAY_Q}`),
      await get(`channels?${DAY_Q}`),
    ]).toEqual(live);
  });

  it('business-hours FRT skips the weekend and a holiday', async () => {
    const scheduleId = await createOfficeSchedule(t, [
      { date: '2026-01-12', intervals: [], note: 'holiday' },
    ]);
    await setRouting(t, t.channel.id, { scheduleId });
    // Friday 9 January 17:00 Moscow → Tuesday 13 January 10:00 (Monday the 12th is a holiday).
    t.clock.set(Date.UTC(2026, 0, 9, 14, 0));
    await inbound('cust-w', 'Before the weekend');
    const c = (await conversationOf(t, 'cust-w')).id;
    t.clock.set(Date.UTC(2026, 0, 13, 7, 0));
    await reply(t.admin, c, 'Good morning');
    const q = 'from=2026-01-09&to=2026-01-13&tz=Europe/Moscow';
    expect((await get(`overview?${q}&hours=business`)).firstResponse).toEqual({
      count: 1,
      median: 7200,
      p90: 7200,
    });
    const calendar = (4 * 24 - 7) * 3600;
    expect((await get(`overview?${q}`)).firstResponse.median).toBe(calendar);
  });

  it('buckets are local days and hours across a DST change', async () => {
    // Berlin springs forward on Sunday 29 March 2026: that day has 23 hours.
    t.clock.set(Date.UTC(2026, 2, 29, 21, 30)); // 23:30 on the 29th in Berlin (+02:00)
    await inbound('cust-dst', 'Late question');
    t.clock.set(Date.UTC(2026, 2, 29, 22, 30)); // 00:30 on the 30th
    await inbound('cust-dst2', 'Later question');
    me = await t.login(t.admin.email, t.admin.password);
    const q = 'from=2026-03-28&to=2026-03-30&tz=Europe/Berlin';
    const days = await get(`timeseries?${q}&metric=conversations_created&interval=day`);
    expect(days.data).toEqual([
      { t: '2026-03-28T00:00:00+01:00', value: 0 },
      { t: '2026-03-29T00:00:00+01:00', value: 1 },
      { t: '2026-03-30T00:00:00+02:00', value: 1 },
    ]);
    const hours = await get(
      `timeseries?from=2026-03-29&to=2026-03-29&tz=Europe/Berlin&metric=messages_inbound&interval=hour`,
    );
    expect(hours.data).toHaveLength(23);
    expect(hours.data.at(-1)).toEqual({ t: '2026-03-29T23:00:00+02:00', value: 1 });
    const weeks = await get(`timeseries?${q}&metric=conversations_created&interval=week`);
    expect(weeks.data.map((d: { t: string }) => d.t)).toEqual([
      '2026-03-23T00:00:00+01:00',
      '2026-03-30T00:00:00+02:00',
    ]);
    const heat = (await get(`heatmap?${q}`)).data as Array<{
      weekday: number;
      hour: number;
      inbound: number;
    }>;
    expect(heat.find((c) => c.inbound > 0 && c.weekday === 6)).toMatchObject({ hour: 23 });
    expect(heat.find((c) => c.inbound > 0 && c.weekday === 0)).toMatchObject({ hour: 0 });
  });

  it('is for supervisors and admins, answers bad input with stable codes, and exports CSV and XLSX', async () => {
    const op = await addOperator(t, 'Olga');
    expect((await t.as(op, 'GET', `/api/v1/reports/overview?${DAY_Q}`)).statusCode).toBe(403);
    const bad = await t.as(
      t.admin,
      'GET',
      '/api/v1/reports/overview?from=2026-01-05&to=2026-01-05&tz=Mars/Olympus',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    const backwards = await t.as(t.admin, 'GET', '/api/v1/reports/overview?from=2026-02-01&to=2026-01-01');
    expect(backwards.json().error.code).toBe('validation_error');
    await inbound('cust-x', 'Hi');
    const csv = await t.as(t.admin, 'GET', `/api/v1/reports/overview/export?${DAY_Q}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('conversations.created,1');
    const xlsx = await t.as(t.admin, 'GET', `/api/v1/reports/operators/export?${DAY_Q}&format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
