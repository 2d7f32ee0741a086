import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { rebuildReports } from '../reports/rebuild-reports.ts';
import {
  type ApiChannel,
  conversationOf,
  createApiChannel,
  postInbound,
} from '../routing/routing-test-kit.ts';

const dialects = await testDialects();
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);
const Q = 'from=2026-01-05&to=2026-01-05&tz=Europe/Moscow';

/**
 * A customer's survey answer (a rating and then a comment) is two inbound messages in the resolved
 * conversation: no conversation created or reopened, nothing open at the end (docs/metrics.md, "CSAT
 * answers"), live and after a rebuild from history.
 */
describe.each(dialects)('CSAT answers in the conversation counts (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let ch: ApiChannel;
  let callback: FakeCallbackServer;

  beforeAll(async () => {
    callback = await new FakeCallbackServer().start();
    clock = new ManualClock(T0);
    t = await createTestApp(dialect, { clock });
    ch = await createApiChannel(t, { callbackUrl: callback.url });
    const on = await t.as(t.admin, 'PATCH', `/api/v1/channels/${ch.id}/csat`, { enabled: true });
    expect(on.statusCode, on.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await callback.stop();
  });

  const report = async (path: string) => {
    const r = await t.as(t.admin, 'GET', `/api/v1/reports/${path}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const figures = async () => {
    const o = await report(`overview?${Q}`);
    const sum = async (metric: string) =>
      (await report(`timeseries?${Q}&metric=${metric}&interval=hour`)).data.reduce(
        (n: number, d: { value: number | null }) => n + (d.value ?? 0),
        0,
      );
    const heat = (await report(`heatmap?${Q}`)).data.reduce(
      (n: number, c: { conversations: number }) => n + c.conversations,
      0,
    );
    const [channel] = (await report(`channels?${Q}`)).data;
    return {
      conversations: o.conversations,
      inbound: o.messages.inbound,
      csat: o.csat,
      createdSeries: await sum('conversations_created'),
      reopenedSeries: await sum('conversations_reopened'),
      heatmapConversations: heat,
      channelCreated: channel.created,
    };
  };

  it('a rating and a comment after the resolution count as inbound messages only', async () => {
    await postInbound(t, ch, 'vera', 'The box was wet');
    await t.drainJobs();
    const { id } = await conversationOf(t, 'vera');
    clock.advance(60_000);
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'Sorry, a new one is on its way',
      clientMessageId: 'r1',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    await t.drainJobs();
    clock.advance(60_000);
    const resolved = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await t.drainJobs();
    const before = await figures();
    expect(before).toMatchObject({
      conversations: { created: 1, resolved: 1, reopened: 0, openAtEnd: 0 },
      inbound: 1,
      createdSeries: 1,
    });

    clock.advance(60_000);
    await postInbound(t, ch, 'vera', '2');
    await t.drainJobs();
    clock.advance(60_000);
    await postInbound(t, ch, 'vera', 'Slow courier');
    await t.drainJobs();
    const c = (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json();
    expect(c).toMatchObject({ status: 'resolved', csat: { rating: 2, comment: 'Slow courier' } });

    const live = await figures();
    expect(live).toEqual({
      conversations: { created: 1, resolved: 1, reopened: 0, openAtEnd: 0 },
      inbound: 3,
      csat: { responses: 1, average: 2 },
      createdSeries: 1,
      reopenedSeries: 0,
      heatmapConversations: 1,
      channelCreated: 1,
    });
    const reopenedDrill = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations?reopenedFrom=${T0 - 3_600_000}&reopenedTo=${T0 + 3_600_000}`,
    );
    expect(reopenedDrill.json().items).toEqual([]);

    await rebuildReports(t.ctx, t.admin.accountId);
    expect(await figures()).toEqual(live);
  });
});
