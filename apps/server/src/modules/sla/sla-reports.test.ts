import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { slaKit } from './sla-test-kit.ts';
import { createRule } from '../automation/automation-test-kit.ts';
import { rebuildReports } from '../reports/rebuild-reports.ts';
import { addOperator, conversationOf } from '../routing/routing-test-kit.ts';

const dialects = await testDialects();
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

/** SLA as read back: the inbox's order and filter, and the reports' counts, drill-down and rebuild. */
describe.each(dialects)('SLA in the inbox and the reports (%s)', (dialect) => {
  const callback = useCallbackServer();
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callback.url }) });
  const { at, inbound, reply, patch, policy, breaches } = slaKit(t, T0);

  it('sorts by SLA due and filters breached conversations', async () => {
    await policy({ firstResponseSeconds: 600 });
    await inbound('cust-x');
    at(2 * MIN);
    await inbound('cust-y');
    at(3 * MIN);
    await t.as(
      t.admin,
      'DELETE',
      `/api/v1/sla-policies/${(await t.as(t.admin, 'GET', '/api/v1/sla-policies')).json().items[0].id}`,
    );
    await policy({ firstResponseSeconds: 60 });
    await inbound('cust-z');
    const [x, y, z] = [
      await conversationOf(t, 'cust-x'),
      await conversationOf(t, 'cust-y'),
      await conversationOf(t, 'cust-z'),
    ];
    // Deleting the policy stopped x's and y's targets: only z runs.
    expect(x.sla).toBeNull();
    const list = await t.as(t.admin, 'GET', '/api/v1/conversations?sort=sla_due&limit=1');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([z.id]);
    const next = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations?sort=sla_due&limit=5&cursor=${encodeURIComponent(list.json().nextCursor)}`,
    );
    expect(
      next
        .json()
        .items.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([x.id, y.id].sort());
    at(5 * MIN);
    await t.drainJobs();
    const breached = await t.as(t.admin, 'GET', '/api/v1/conversations?slaBreached=true');
    expect(breached.json().items.map((c: { id: string }) => c.id)).toEqual([z.id]);
    const inRange = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations?slaBreached=true&slaFrom=${T0}&slaTo=${T0 + 4 * MIN}`,
    );
    expect(inRange.json().items).toEqual([]);
    expect(y.id).not.toBe(z.id);
  });

  it('counts met and breached per policy, team and operator, over time, with a drill-down, and rebuilds the same', async () => {
    const bob = await addOperator(t, 'Bob');
    const p = await policy({ name: 'Fast', firstResponseSeconds: 300 });
    const rule = await createRule(t, {
      name: 'Escalate',
      event: 'sla.breached',
      actions: [{ type: 'add_label', label: 'escalated' }],
    });
    expect(rule).toBeTruthy();
    await inbound('cust-1');
    const c1 = await conversationOf(t, 'cust-1');
    at(2 * MIN);
    await reply(c1.id, bob);
    await inbound('cust-2');
    const c2 = await conversationOf(t, 'cust-2');
    await patch(c2.id, { assigneeId: bob.userId });
    at(10 * MIN);
    await t.drainJobs();
    await t.drainJobs();
    // The breach started the rule: the conversation is labelled.
    expect((await conversationOf(t, 'cust-2')).labels).toEqual(['escalated']);
    at(11 * MIN);
    await reply(c2.id);
    const q = 'from=2026-01-05&to=2026-01-05&tz=Europe/Moscow';
    const report = async (url: string) => {
      const r = await t.as(t.admin, 'GET', `/api/v1/reports/${url}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const live = {
      overview: (await report(`overview?${q}`)).sla,
      policy: (await report(`sla?${q}&group=policy`)).data,
      operator: (await report(`sla?${q}&group=operator`)).data,
      series: (await report(`timeseries?${q}&metric=sla_met_percent&interval=hour`)).data.filter(
        (d: { value: number | null }) => d.value !== null,
      ),
    };
    expect(live.overview).toEqual({ policies: 1, measured: 2, met: 1, breached: 1, metPercent: 50 });
    expect(live.policy).toEqual([
      { id: p.id, name: 'Fast', measured: 2, met: 1, breached: 1, metPercent: 50 },
    ]);
    // Bob met c1 by replying; c2's breach goes to its assignee at the due time: Bob.
    expect(live.operator).toEqual([
      { id: bob.userId, name: 'Bob', measured: 2, met: 1, breached: 1, metPercent: 50 },
    ]);
    expect(live.series).toEqual([{ t: '2026-01-05T10:00:00+03:00', value: 50 }]);
    const drill = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations?slaBreached=true&slaPolicy=${p.id}&slaFrom=${T0}&slaTo=${T0 + HOUR}`,
    );
    expect(drill.json().items.map((c: { id: string }) => c.id)).toEqual([c2.id]);
    // The operator's row drills down to the breaches credited to them; nobody else has any.
    const ids = async (filter: string) =>
      (await t.as(t.admin, 'GET', `/api/v1/conversations?slaBreached=true&${filter}`))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await ids(`slaOperator=${bob.userId}`)).toEqual([c2.id]);
    expect(await ids(`slaOperator=${t.admin.userId}`)).toEqual([]);
    expect(await ids('slaTeam=no-such-team')).toEqual([]);
    await rebuildReports(t.ctx, t.admin.accountId);
    expect((await report(`overview?${q}`)).sla).toEqual(live.overview);
    expect((await report(`sla?${q}&group=policy`)).data).toEqual(live.policy);
    await t.drainJobs();
    // History is not announced again.
    expect(await breaches()).toHaveLength(1);
  });
});
