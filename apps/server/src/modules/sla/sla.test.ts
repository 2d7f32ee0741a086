import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { slaKit } from './sla-test-kit.ts';
import { rebuildReports } from '../reports/rebuild-reports.ts';
import { conversationOf, createOfficeSchedule, setRouting } from '../routing/routing-test-kit.ts';

const dialects = await testDialects();
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

describe.each(dialects)('SLA policies and targets (%s)', (dialect) => {
  const callback = useCallbackServer();
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callback.url }) });

  const { at, inbound, reply, patch, policy, breaches, slaOf } = slaKit(t, T0);

  it('keeps policies: create, list in precedence order, change, delete; bad input is a 400 with a code', async () => {
    const a = await policy({ firstResponseSeconds: 300, appliesTo: { channelIds: [t.channel.id] } });
    const b = await policy({
      name: 'VIP',
      resolutionSeconds: 3600,
      appliesTo: { labels: ['vip'] },
      position: 0,
    });
    const list = await t.as(t.admin, 'GET', '/api/v1/sla-policies');
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    expect(list.json().items[1]).toMatchObject({
      name: 'Standard',
      firstResponseSeconds: 300,
      nextResponseSeconds: null,
      businessHours: false,
      active: true,
      appliesTo: { channelIds: [t.channel.id] },
    });
    const p = await t.as(t.admin, 'PATCH', `/api/v1/sla-policies/${a.id}`, {
      active: false,
      businessHours: true,
    });
    expect(p.json()).toMatchObject({ active: false, businessHours: true });
    const none = await t.as(t.admin, 'POST', '/api/v1/sla-policies', { name: 'Empty' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('validation_error');
    const foreign = await t.as(t.admin, 'POST', '/api/v1/sla-policies', {
      name: 'X',
      firstResponseSeconds: 60,
      appliesTo: { teamIds: ['no-such-team'] },
    });
    expect(foreign.statusCode).toBe(400);
    const cleared = await t.as(t.admin, 'PATCH', `/api/v1/sla-policies/${b.id}`, { resolutionSeconds: null });
    expect(cleared.statusCode).toBe(400);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/sla-policies/${a.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/sla-policies/${a.id}`)).statusCode).toBe(404);
  });

  it('breaches at the due time by the scheduled job, once, and the inbox shows the nearest target', async () => {
    const p = await policy({ firstResponseSeconds: 600, resolutionSeconds: 4 * 3600 });
    await inbound('cust-a');
    const c = await conversationOf(t, 'cust-a');
    expect(c.sla).toEqual({
      policyId: p.id,
      metric: 'first_response',
      dueAt: T0 + 10 * MIN,
      breached: false,
    });
    at(10 * MIN);
    await t.drainJobs();
    expect(await breaches()).toEqual([]);
    at(10 * MIN + 1);
    await t.drainJobs();
    await t.drainJobs();
    expect(await breaches()).toEqual([
      { conversationId: c.id, policyId: p.id, metric: 'first_response', dueAt: T0 + 10 * MIN },
    ]);
    expect(await slaOf('cust-a')).toMatchObject({ metric: 'first_response', breached: true });
    // The late reply ends the breached target; the resolution target is next.
    at(15 * MIN);
    await reply(c.id);
    expect(await slaOf('cust-a')).toEqual({
      policyId: p.id,
      metric: 'resolution',
      dueAt: T0 + 4 * HOUR,
      breached: false,
    });
    at(HOUR);
    await patch(c.id, { status: 'resolved' });
    expect(await slaOf('cust-a')).toBeNull();
    at(5 * HOUR);
    await t.drainJobs();
    expect(await breaches()).toHaveLength(1);
    const outcomes = await t.ctx.db.kysely
      .selectFrom('sla_targets')
      .select(['metric', 'outcome', 'decided_at'])
      .orderBy('metric')
      .execute();
    expect(outcomes).toEqual([
      { metric: 'first_response', outcome: 'breached', decided_at: T0 + 10 * MIN },
      { metric: 'resolution', outcome: 'met', decided_at: T0 + HOUR },
    ]);
  });

  it('a reply after the due time but before the job ran is still one breach, emitted by the job', async () => {
    await policy({ firstResponseSeconds: 300 });
    await inbound('cust-late');
    const c = await conversationOf(t, 'cust-late');
    at(6 * MIN);
    // Reply without running the worker in between: the listener decides the breach first.
    const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${c.id}/messages`, {
      text: 'Sorry',
      clientMessageId: 'late-1',
    });
    expect(r.statusCode).toBeLessThan(300);
    expect(await breaches()).toEqual([]);
    await t.drainJobs();
    expect((await breaches()).map((b) => b.metric)).toEqual(['first_response']);
  });

  it('next response: every new wait after the first reply gets its target; in time is met', async () => {
    await policy({ firstResponseSeconds: 600, nextResponseSeconds: 120 });
    await inbound('cust-n');
    const c = await conversationOf(t, 'cust-n');
    at(MIN);
    await reply(c.id);
    expect(await slaOf('cust-n')).toBeNull();
    at(2 * MIN);
    await inbound('cust-n', 'And?');
    expect(await slaOf('cust-n')).toMatchObject({ metric: 'next_response', dueAt: T0 + 4 * MIN });
    at(3 * MIN);
    await inbound('cust-n', 'Hello?');
    // Several customer messages in a row are one wait, measured from the first.
    expect(await slaOf('cust-n')).toMatchObject({ metric: 'next_response', dueAt: T0 + 4 * MIN });
    at(5 * MIN);
    await t.drainJobs();
    expect((await breaches()).map((b) => b.metric)).toEqual(['next_response']);
    await reply(c.id);
    at(6 * MIN);
    await inbound('cust-n', 'Thanks, one more');
    at(7 * MIN);
    await reply(c.id);
    const rows = await t.ctx.db.kysely
      .selectFrom('sla_targets')
      .select(['metric', 'outcome'])
      .orderBy('started_at')
      .orderBy('metric')
      .execute();
    expect(rows).toEqual([
      { metric: 'first_response', outcome: 'met' },
      { metric: 'next_response', outcome: 'breached' },
      { metric: 'next_response', outcome: 'met' },
    ]);
  });

  it('reopening starts a new cycle: a new first-response target and a new breach', async () => {
    await policy({ firstResponseSeconds: 300 });
    await inbound('cust-r');
    const c = await conversationOf(t, 'cust-r');
    at(10 * MIN);
    await t.drainJobs();
    await reply(c.id);
    await patch(c.id, { status: 'resolved' });
    at(20 * MIN);
    await patch(c.id, { status: 'open' });
    // No customer message in the new cycle yet: no clock.
    expect(await slaOf('cust-r')).toBeNull();
    await t.as(t.admin, 'POST', `/api/v1/conversations/${c.id}/messages`, {
      text: 'Note',
      private: true,
      clientMessageId: 'n1',
    });
    // A customer message into the reopened conversation (the API channel appends to open ones).
    await inbound('cust-r', 'It broke again');
    expect((await conversationOf(t, 'cust-r')).id).toBe(c.id);
    expect(await slaOf('cust-r')).toMatchObject({ metric: 'first_response', dueAt: T0 + 25 * MIN });
    at(30 * MIN);
    await t.drainJobs();
    const b = await breaches();
    expect(b.map((x) => [x.conversationId, x.metric, x.dueAt])).toEqual([
      [c.id, 'first_response', T0 + 5 * MIN],
      [c.id, 'first_response', T0 + 25 * MIN],
    ]);
  });

  it('in business hours the clock stops over the weekend and a holiday', async () => {
    const scheduleId = await createOfficeSchedule(t, [
      { date: '2026-01-12', intervals: [], note: 'holiday' },
    ]);
    await setRouting(t, t.channel.id, { scheduleId });
    await policy({ firstResponseSeconds: 2 * 3600, businessHours: true });
    // Friday 9 January 17:00 Moscow: 1 h on Friday, Monday the 12th is a holiday, so due Tuesday 10:00.
    t.clock.set(Date.UTC(2026, 0, 9, 14, 0));
    await inbound('cust-w', 'Before the weekend');
    expect(await slaOf('cust-w')).toMatchObject({ dueAt: Date.UTC(2026, 0, 13, 7, 0), breached: false });
    t.clock.set(Date.UTC(2026, 0, 12, 15, 0));
    await t.drainJobs();
    expect(await breaches()).toEqual([]);
    t.clock.set(Date.UTC(2026, 0, 13, 7, 1));
    await t.drainJobs();
    expect(await breaches()).toHaveLength(1);
  });

  it('the first matching policy by position applies; an inactive one and a non-matching one do not', async () => {
    await policy({ name: 'Off', firstResponseSeconds: 60, active: false });
    const vip = await policy({ name: 'VIP', firstResponseSeconds: 120, appliesTo: { labels: ['vip'] } });
    const std = await policy({ name: 'Std', firstResponseSeconds: 900 });
    await inbound('cust-1');
    expect((await slaOf('cust-1'))?.policyId).toBe(std.id);
    const c2 = await inbound('cust-2').then(() => conversationOf(t, 'cust-2'));
    await patch(c2.id, { labels: ['vip'] });
    at(MIN);
    // The running target keeps its policy; a label does not move a promise already made.
    expect((await slaOf('cust-2'))?.policyId).toBe(std.id);
    await reply(c2.id);
    await patch(c2.id, { status: 'resolved' });
    await patch(c2.id, { status: 'open' });
    await inbound('cust-2', 'again');
    expect((await slaOf('cust-2'))?.policyId).toBe(vip.id);
  });

  it('no clock runs while a bot holds the conversation: the targets start at the hand-off (live and rebuilt)', async () => {
    const p = await policy({ firstResponseSeconds: 300, resolutionSeconds: 3600 });
    const bot = await t.as(t.admin, 'POST', '/api/v1/bots', {
      name: 'Menu',
      kind: 'menu',
      channelIds: [t.channel.id],
      menu: { greeting: 'Hello! Choose:', options: [{ title: 'A person', action: 'handoff' }] },
    });
    expect(bot.statusCode, bot.body).toBe(201);
    await inbound('held', 'Hi');
    expect((await conversationOf(t, 'held')).status).toBe('bot');
    expect(await slaOf('held')).toBeNull();
    // Twenty minutes with the bot: far past the 5-minute first response, and nothing is due.
    at(20 * MIN);
    await t.drainJobs();
    await inbound('held', 'Something else');
    expect((await conversationOf(t, 'held')).status).toBe('bot');
    expect(await slaOf('held')).toBeNull();
    expect(await breaches()).toEqual([]);

    at(30 * MIN);
    await inbound('held', '1');
    expect((await conversationOf(t, 'held')).status).toBe('open');
    expect(await slaOf('held')).toEqual({
      policyId: p.id,
      metric: 'first_response',
      dueAt: T0 + 35 * MIN,
      breached: false,
    });
    const targets = async () =>
      (
        await t.ctx.db.kysely
          .selectFrom('sla_targets')
          .select(['metric', 'started_at', 'due_at', 'outcome'])
          .orderBy('metric')
          .execute()
      ).map((r) => ({ ...r, started_at: Number(r.started_at), due_at: Number(r.due_at) }));
    expect(await targets()).toEqual([
      { metric: 'first_response', started_at: T0 + 30 * MIN, due_at: T0 + 35 * MIN, outcome: null },
      { metric: 'resolution', started_at: T0 + 30 * MIN, due_at: T0 + 90 * MIN, outcome: null },
    ]);
    at(36 * MIN);
    await t.drainJobs();
    expect(await breaches()).toMatchObject([{ metric: 'first_response', dueAt: T0 + 35 * MIN }]);
    const live = await targets();
    expect(live[0]).toMatchObject({ outcome: 'breached' });
    await rebuildReports(t.ctx, t.admin.accountId);
    expect(await targets()).toEqual(live);
  });
});
