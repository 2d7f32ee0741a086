import { describe, expect, it } from 'vitest';
import { seedTeam } from '../../../../test/seed.ts';
import type { Session } from '../../../../test/test-app.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import {
  type Operator,
  addOperator,
  conversationOf,
  createApiChannel,
  messagesOf,
  postInbound,
  setPresence,
  setRouting,
} from '../routing-test-kit.ts';

const dialects = await testDialects();
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

describe.each(dialects)('assignment (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: {} });

  /** A customer writes; jobs run; the conversation as the API shows it. */
  async function customerWrites(customer: string, text = 'Hello') {
    await postInbound(t, t.channel, customer, text);
    await t.drainJobs();
    return conversationOf(t, customer);
  }
  const systemLines = async (conversationId: string) =>
    (await messagesOf(t, conversationId)).filter((m) => m.contentKind === 'system').map((m) => m.text);
  const patchConv = async (s: Session, id: string, body: unknown) => {
    const r = await t.as(s, 'PATCH', `/api/v1/conversations/${id}`, body);
    expect(r.statusCode, r.body).toBe(200);
  };
  const patchMe = async (s: Session, body: unknown) => {
    const r = await t.as(s, 'PATCH', '/api/v1/me', body);
    expect(r.statusCode, r.body).toBe(200);
  };

  it('round-robins among online members of the channel team, and records each assignment', async () => {
    const [anna, boris, vera] = [
      await addOperator(t, 'Anna'),
      await addOperator(t, 'Boris'),
      await addOperator(t, 'Vera'),
    ];
    const outsider = await addOperator(t, 'Oleg');
    const offline = await addOperator(t, 'Petr', { online: false });
    const team = await seedTeam(t.ctx, t.admin.accountId, 'Support', [
      anna.userId,
      boris.userId,
      vera.userId,
      offline.userId,
    ]);
    t.channel = await createApiChannel(t, { teamId: team, name: 'Team channel' });
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const assignees: (string | null)[] = [];
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) assignees.push((await customerWrites(c)).assigneeId);
    expect(assignees).toEqual([anna.userId, boris.userId, vera.userId, anna.userId, boris.userId]);
    expect(assignees).not.toContain(outsider.userId);

    const c1 = await conversationOf(t, 'c1');
    expect(await systemLines(c1.id)).toEqual(['Assigned to Anna automatically (round-robin)']);
    const lines = await messagesOf(t, c1.id);
    expect(lines.find((m) => m.contentKind === 'system')).toMatchObject({
      private: true,
      authorKind: 'system',
      deliveryStatus: null,
    });
    // Live: the assignment is a conversation.updated and the line a message.created.
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('account_id', '=', t.admin.accountId)
      .orderBy('seq')
      .execute();
    const forC1 = events
      .map((e) => ({ type: e.type, p: JSON.parse(e.payload) }))
      .filter((e) => e.p.id === c1.id || e.p.conversationId === c1.id);
    expect(forC1.map((e) => e.type)).toEqual([
      'conversation.created',
      'message.created',
      'conversation.updated',
      'message.created',
    ]);
    expect(forC1[2]!.p.assigneeId).toBe(anna.userId);
    expect(forC1[3]!.p).toMatchObject({ contentKind: 'system', private: true });
  });

  it('least-loaded picks whoever has the fewest open conversations', async () => {
    const anna = await addOperator(t, 'Anna');
    const boris = await addOperator(t, 'Boris');
    const vera = await addOperator(t, 'Vera');
    const a1 = await customerWrites('a1');
    const a2 = await customerWrites('a2');
    const b1 = await customerWrites('b1');
    await patchConv(t.admin, a1.id, { assigneeId: anna.userId });
    await patchConv(t.admin, a2.id, { assigneeId: anna.userId });
    await patchConv(t.admin, b1.id, { assigneeId: boris.userId });
    await setRouting(t, t.channel.id, { assignment: { mode: 'least_loaded' } });
    await t.drainJobs();
    expect((await customerWrites('n1')).assigneeId).toBe(vera.userId); // 2 / 1 / 0
    // Boris and Vera both have one: Boris got his longer ago.
    expect((await customerWrites('n2')).assigneeId).toBe(boris.userId);
    expect((await customerWrites('n3')).assigneeId).toBe(vera.userId);
    // Resolving frees Anna: she now has the fewest.
    await patchConv(t.admin, a1.id, { status: 'resolved' });
    await patchConv(t.admin, a2.id, { status: 'resolved' });
    expect((await customerWrites('n4')).assigneeId).toBe(anna.userId);
    expect(await systemLines((await conversationOf(t, 'n4')).id)).toEqual([
      'Assigned to Anna automatically (least loaded)',
    ]);
  });

  it('respects capacity, queues the rest, and drains the queue when someone comes online or frees room', async () => {
    const anna = await addOperator(t, 'Anna', { capacity: 1 });
    const boris = await addOperator(t, 'Boris', { capacity: 1, online: false });
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const c1 = await customerWrites('c1');
    expect(c1.assigneeId).toBe(anna.userId);
    const c2 = await customerWrites('c2');
    expect(c2.assigneeId).toBeNull();
    const queue = (await t.as(anna, 'GET', '/api/v1/queue')).json();
    expect(queue.items.map((c: { id: string }) => c.id)).toEqual([c2.id]);

    // Boris comes online: the queue drains to him.
    await patchMe(boris, { availability: 'online' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c2')).assigneeId).toBe(boris.userId);
    expect(await systemLines(c2.id)).toEqual(['Assigned to Boris from the queue']);

    // Both full: c3 waits, then c4 arrives and is made urgent: it jumps the queue.
    const c3 = await customerWrites('c3');
    t.clock.advance(MIN);
    const c4 = await customerWrites('c4');
    await patchConv(t.admin, c4.id, { priority: 'urgent' });
    expect((await t.as(anna, 'GET', '/api/v1/queue')).json().items.map((c: { id: string }) => c.id)).toEqual([
      c4.id,
      c3.id,
    ]);
    // Anna resolves c1: her freed place goes to the urgent one.
    await patchConv(anna, c1.id, { status: 'resolved' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c4')).assigneeId).toBe(anna.userId);
    expect((await conversationOf(t, 'c3')).assigneeId).toBeNull();
    // Boris resolves c2: c3 is his.
    await patchConv(boris, c2.id, { status: 'resolved' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c3')).assigneeId).toBe(boris.userId);
    expect(await systemLines(c3.id)).toEqual(['Assigned to Boris from the queue']);
  });

  it('gives a returning customer to the operator they talked to last, if online with room', async () => {
    const anna = await addOperator(t, 'Anna');
    const boris = await addOperator(t, 'Boris');
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const first = await customerWrites('x');
    expect(first.assigneeId).toBe(anna.userId);
    await patchConv(t.admin, first.id, { assigneeId: boris.userId });
    const r = await t.as(boris, 'POST', `/api/v1/conversations/${first.id}/messages`, {
      text: 'Boris here',
      clientMessageId: 'b-1',
    });
    expect(r.statusCode).toBe(202);
    await patchConv(boris, first.id, { status: 'resolved' });
    await t.drainJobs();

    // Round-robin would pick Anna (Boris was assigned last), but the customer goes back to Boris.
    const again = await customerWrites('x', 'Me again');
    expect(again.id).not.toBe(first.id);
    expect(again.assigneeId).toBe(boris.userId);
    expect(await systemLines(again.id)).toEqual([
      'Assigned to Boris automatically (talked to this customer last)',
    ]);

    // Boris offline: round-robin as usual.
    await patchConv(boris, again.id, { status: 'resolved' });
    await setPresence(t, boris.userId, false);
    expect((await customerWrites('x', 'Third time')).assigneeId).toBe(anna.userId);

    // Stickiness switched off: round-robin even when Boris is there.
    await setPresence(t, boris.userId, true);
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin', sticky: false } });
    await patchConv(t.admin, (await conversationOf(t, 'x')).id, { status: 'resolved' });
    const other = await customerWrites('y');
    expect(other.assigneeId).toBe(boris.userId);
    const fourth = await customerWrites('x', 'Fourth');
    expect(fourth.assigneeId).toBe(anna.userId);
  });

  it('reassigns when the assignee goes offline: to a colleague with room, else back to the queue', async () => {
    const anna = await addOperator(t, 'Anna');
    const boris = await addOperator(t, 'Boris', { capacity: 1, online: false });
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const c1 = await customerWrites('c1');
    const c2 = await customerWrites('c2');
    expect([c1.assigneeId, c2.assigneeId]).toEqual([anna.userId, anna.userId]);
    await setPresence(t, boris.userId, true);

    // Offline and back before the job ran: nothing moves.
    await patchMe(anna, { availability: 'offline' });
    await patchMe(anna, { availability: 'online' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(anna.userId);

    await patchMe(anna, { availability: 'offline' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(boris.userId);
    expect((await conversationOf(t, 'c2')).assigneeId).toBeNull();
    expect(await systemLines(c1.id)).toEqual([
      'Assigned to Anna automatically (round-robin)',
      'Reassigned from Anna to Boris because Anna went offline',
    ]);
    expect(await systemLines(c2.id)).toEqual([
      'Assigned to Anna automatically (round-robin)',
      'Returned to the queue because Anna went offline',
    ]);

    // Switched off per channel: conversations stay with the operator.
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin', reassignOnOffline: false } });
    await patchMe(anna, { availability: 'online' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c2')).assigneeId).toBe(anna.userId);
    await patchMe(anna, { availability: 'offline' });
    await t.drainJobs();
    expect((await conversationOf(t, 'c2')).assigneeId).toBe(anna.userId);
  });

  it('reassigns when the assignee has not answered within N minutes (off by default)', async () => {
    const anna = await addOperator(t, 'Anna');
    const boris = await addOperator(t, 'Boris');
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin', noReplyReassignMinutes: 10 } });
    const c1 = await customerWrites('c1');
    expect(c1.assigneeId).toBe(anna.userId);
    t.clock.set(T0 + 10 * MIN - 1000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(anna.userId);
    t.clock.set(T0 + 10 * MIN);
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(boris.userId);
    expect((await systemLines(c1.id)).at(-1)).toBe(
      'Reassigned from Anna to Boris because Anna did not answer within 10 minutes',
    );

    // Boris answers in time: it stays with him.
    t.clock.advance(5 * MIN);
    const r = await t.as(boris, 'POST', `/api/v1/conversations/${c1.id}/messages`, {
      text: 'On it',
      clientMessageId: 'b-1',
    });
    expect(r.statusCode).toBe(202);
    t.clock.advance(10 * MIN);
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(boris.userId);

    // Off by default: without the setting nothing is armed.
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const c2 = await customerWrites('c2');
    t.clock.advance(60 * MIN);
    await t.drainJobs();
    expect((await conversationOf(t, 'c2')).assigneeId).toBe(c2.assigneeId);
  });

  it('leaves manual channels to the operators and records manual changes', async () => {
    const anna: Operator = await addOperator(t, 'Anna');
    const c1 = await customerWrites('c1');
    expect(c1.assigneeId).toBeNull();
    await patchConv(anna, c1.id, { assigneeId: anna.userId });
    await patchConv(t.admin, c1.id, { assigneeId: t.admin.userId });
    await patchConv(t.admin, c1.id, { assigneeId: null });
    await patchConv(t.admin, c1.id, { assigneeId: anna.userId });
    expect(await systemLines(c1.id)).toEqual([
      'Anna took the conversation',
      'Reassigned from Anna to Ada Admin',
      'Returned to the queue by Ada Admin',
      'Assigned to Anna by Ada Admin',
    ]);
    expect((await conversationOf(t, 'c1')).assigneeId).toBe(anna.userId);
    // Default settings write no routing jobs.
    const jobs = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('type')
      .where('type', 'like', 'routing.%')
      .execute();
    expect(jobs).toEqual([]);
  });

  it('wakes a snoozed conversation when its time comes and assigns it', async () => {
    const anna = await addOperator(t, 'Anna', { capacity: 1 });
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    const c1 = await customerWrites('c1');
    await patchConv(anna, c1.id, { status: 'snoozed', snoozedUntil: T0 + 60 * MIN, assigneeId: null });
    const c2 = await customerWrites('c2');
    expect(c2.assigneeId).toBe(anna.userId);
    await patchConv(anna, c2.id, { status: 'resolved' });
    t.clock.set(T0 + 60 * MIN - 1000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).status).toBe('snoozed');
    t.clock.set(T0 + 60 * MIN);
    await t.drainJobs();
    expect(await conversationOf(t, 'c1')).toMatchObject({
      status: 'open',
      assigneeId: anna.userId,
      snoozedUntil: null,
    });
  });
});
