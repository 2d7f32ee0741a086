import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { seedUser } from '../../../test/seed.ts';
import { testDialects } from '../../../test/test-db.ts';
import { hmacSha256Hex } from '../../infra/crypto/hmac.ts';
import { conversationOf, messagesOf, postInbound } from '../routing/routing-test-kit.ts';
import { createRule, runsOf } from './automation-test-kit.ts';
import { RATE_LIMIT } from './rule-runner.ts';

const dialects = await testDialects();
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe.each(dialects)('automation rules at work (%s)', (dialect) => {
  const callback = useCallbackServer();
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callback.url }) });

  const inbound = async (customer: string, text: string) => {
    await postInbound(t, t.channel, customer, text);
    await t.drainJobs();
    return conversationOf(t, customer);
  };

  it('labels and raises a refund request in any word form, and logs the run', async () => {
    const id = await createRule(t, {
      name: 'Refunds',
      event: 'message.created',
      conditions: [{ field: 'message.text', op: 'contains_any', value: ['возврат', 'refund'] }],
      actions: [
        { type: 'add_label', label: 'refund' },
        { type: 'set_priority', priority: 'high' },
      ],
    });
    const quiet = await inbound('c-1', 'Где мой заказ?');
    expect(quiet).toMatchObject({ labels: [], priority: 'none' });
    const conv = await inbound('c-2', 'Оформите, пожалуйста, возврата денег');
    expect(conv).toMatchObject({ labels: ['refund'], priority: 'high' });
    expect(await runsOf(t, id)).toEqual([
      {
        id: expect.any(String),
        ruleId: id,
        conversationId: conv.id,
        event: 'message.created',
        outcome: 'applied',
        actions: [
          { type: 'add_label', status: 'done', detail: 'refund' },
          { type: 'set_priority', status: 'done', detail: 'high' },
        ],
        error: null,
        createdAt: T0,
      },
    ]);
    // A disabled rule does nothing.
    await t.as(t.admin, 'POST', `/api/v1/automation-rules/${id}/disable`);
    expect(await inbound('c-3', 'refund please')).toMatchObject({ labels: [] });
  });

  it('answers through the outbound path, adds a note, moves to a team; an opted-out customer gets nothing', async () => {
    const team = (await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Billing' })).json().id as string;
    const id = await createRule(t, {
      name: 'Greet billing',
      event: 'conversation.created',
      actions: [
        { type: 'send_message', text: 'Hello {{contact.name}}, billing will answer soon' },
        { type: 'add_note', text: 'Routed by rule' },
        { type: 'assign_team', teamId: team },
      ],
    });
    const conv = await inbound('c-1', 'Hi');
    expect(conv.teamId).toBe(team);
    const msgs = await messagesOf(t, conv.id);
    const reply = msgs.find((m) => m.text === 'Hello Customer c-1, billing will answer soon');
    expect(reply).toMatchObject({ authorKind: 'system', private: false, deliveryStatus: 'sent' });
    expect(msgs.find((m) => m.text === 'Routed by rule')).toMatchObject({ private: true });
    // It really left through the channel: the business's backend got it.
    expect(callback.received.map((r) => (r.body as { message?: { text?: string } }).message?.text)).toContain(
      'Hello Customer c-1, billing will answer soon',
    );

    // The same rule for a customer who opted out: the message is refused, the rest still happens.
    await postInbound(t, t.channel, 'c-2', 'Hi');
    await t.drainJobs();
    const second = await conversationOf(t, 'c-2');
    const contactId = (second.contact as { id: string }).id;
    // Their conversation already got the greeting; they opt out, then a new conversation opens.
    const optOut = await t.as(t.admin, 'PUT', `/api/v1/contacts/${contactId}/consent`, {
      optIn: false,
      source: 'asked by phone',
    });
    expect(optOut.statusCode, optOut.body).toBe(200);
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${second.id}`, { status: 'resolved' });
    const third = await inbound('c-2', 'Hi again');
    expect(third.id).not.toBe(second.id);
    const runs = await runsOf(t, id);
    const refused = runs.find((r) => r.conversationId === third.id)!;
    expect(refused.outcome).toBe('partial');
    expect(refused.actions[0]).toEqual({ type: 'send_message', status: 'refused', detail: 'opted_out' });
    expect(refused.actions.slice(1).map((a) => a.status)).toEqual(['done', 'done']);
    expect((await messagesOf(t, third.id)).filter((m) => m.direction === 'out' && !m.private)).toEqual([]);
  });

  it('assigns to an operator and snoozes; the snooze wakes the conversation by the routing job', async () => {
    const op = await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    const id = await createRule(t, {
      name: 'Olga takes it later',
      event: 'conversation.created',
      actions: [
        { type: 'assign_operator', userId: op },
        { type: 'snooze', minutes: 30 },
      ],
    });
    const conv = await inbound('c-1', 'Hi');
    expect(conv).toMatchObject({ assigneeId: op, status: 'snoozed' });
    expect((await runsOf(t, id))[0]!.actions.map((a) => a.status)).toEqual(['done', 'done']);
    const system = (await messagesOf(t, conv.id)).filter((m) => m.contentKind === 'system');
    expect(system).toHaveLength(1);
    t.clock.advance(31 * 60_000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c-1')).status).toBe('open');
  });

  it('never lets a rule trigger itself, and stops a chain of rules', async () => {
    // Every change of the conversation raises the priority and labels it: its own change is a new event.
    const self = await createRule(t, {
      name: 'Self',
      event: 'conversation.updated',
      actions: [
        { type: 'add_label', label: 'seen' },
        { type: 'set_priority', priority: 'urgent' },
      ],
    });
    const opened = await inbound('c-1', 'Hi');
    const patched = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${opened.id}`, { priority: 'low' });
    expect(patched.statusCode, patched.body).toBe(200);
    await t.drainJobs();
    const conv = await conversationOf(t, 'c-1');
    expect(conv).toMatchObject({ labels: ['seen'], priority: 'urgent' });
    const runs = await runsOf(t, self);
    expect(runs.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    expect(runs.some((r) => r.outcome === 'loop_blocked')).toBe(true);

    // Two rules answering each other: A's change starts B, B's starts A again, which is refused.
    await t.as(t.admin, 'DELETE', `/api/v1/automation-rules/${self}`);
    const a = await createRule(t, {
      name: 'A',
      event: 'conversation.updated',
      conditions: [{ field: 'conversation.labels', op: 'has_none', value: ['a'] }],
      actions: [
        { type: 'add_label', label: 'a' },
        { type: 'remove_label', label: 'b' },
      ],
    });
    const b = await createRule(t, {
      name: 'B',
      event: 'conversation.updated',
      conditions: [{ field: 'conversation.labels', op: 'has_none', value: ['b'] }],
      actions: [
        { type: 'add_label', label: 'b' },
        { type: 'remove_label', label: 'a' },
      ],
    });
    const other = await inbound('c-2', 'Hi');
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${other.id}`, { priority: 'low' });
    await t.drainJobs();
    const applied = [...(await runsOf(t, a)), ...(await runsOf(t, b))].filter((r) => r.outcome === 'applied');
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied.length).toBeLessThanOrEqual(3);
    const jobsLeft = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ['pending', 'running'])
      .execute();
    expect(jobsLeft).toEqual([]);
  });

  it('limits rule runs per conversation', async () => {
    const id = await createRule(t, {
      name: 'Every message',
      event: 'message.created',
      conditions: [{ field: 'message.direction', op: 'is', value: 'in' }],
      actions: [{ type: 'add_note', text: 'customer wrote' }],
    });
    for (let i = 0; i <= RATE_LIMIT.runs; i++) await postInbound(t, t.channel, 'c-1', `message ${i}`);
    await t.drainJobs();
    const runs = await runsOf(t, id);
    expect(runs.filter((r) => r.outcome === 'applied')).toHaveLength(RATE_LIMIT.runs);
    expect(runs.filter((r) => r.outcome === 'rate_limited')).toHaveLength(1);
  });

  it('mute pauses every rule for the conversation until its time', async () => {
    await createRule(t, {
      name: 'Mute',
      event: 'conversation.created',
      actions: [{ type: 'mute', minutes: 60 }],
    });
    const label = await createRule(t, {
      name: 'Label',
      event: 'message.created',
      conditions: [{ field: 'message.direction', op: 'is', value: 'in' }],
      actions: [{ type: 'add_label', label: 'x' }],
    });
    const conv = await inbound('c-1', 'first');
    // The first message's rules ran before the mute (one event, one decision).
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, { labels: [] });
    expect((await inbound('c-1', 'second')).labels).toEqual([]);
    t.clock.advance(61 * 60_000);
    expect((await inbound('c-1', 'third')).labels).toEqual(['x']);
    expect((await runsOf(t, label)).length).toBeGreaterThan(0);
  });

  it('time-based: a customer waiting 30 minutes is escalated by a durable job; an answered one is not', async () => {
    const id = await createRule(t, {
      name: 'Waiting',
      event: 'conversation.waiting_for_reply',
      delayMinutes: 30,
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const waiting = await inbound('c-1', 'Hello?');
    const answered = await inbound('c-2', 'Hello?');
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${answered.id}/messages`, {
      text: 'Hi, how can I help?',
      clientMessageId: 'r-1',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    t.clock.advance(10 * 60_000);
    await inbound('c-1', 'Anyone?');
    const timers = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('run_at')
      .where('type', '=', 'automation.timer')
      .where('status', '=', 'pending')
      .execute();
    // The wait runs from the first unanswered message: the second one does not push it back.
    expect(timers.map((j) => Number(j.run_at))).toEqual([T0 + 30 * 60_000, T0 + 30 * 60_000]);
    t.clock.advance(19 * 60_000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c-1')).priority).toBe('none');
    t.clock.advance(2 * 60_000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c-1')).priority).toBe('urgent');
    expect((await conversationOf(t, 'c-2')).priority).toBe('none');
    expect((await runsOf(t, id)).map((r) => [r.conversationId, r.outcome])).toEqual([
      [waiting.id, 'applied'],
    ]);
  });

  it('time-based: no customer reply for 3 days resolves the conversation, unless they answer', async () => {
    await createRule(t, {
      name: 'Close silent',
      event: 'conversation.no_customer_reply',
      delayMinutes: 3 * 24 * 60,
      actions: [{ type: 'set_status', status: 'resolved' }],
    });
    for (const c of ['c-1', 'c-2']) {
      const conv = await inbound(c, 'Question');
      await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'Answer',
        clientMessageId: `a-${c}`,
      });
    }
    await t.drainJobs();
    t.clock.advance(2 * 24 * 3_600_000);
    await inbound('c-2', 'Thanks, one more thing');
    t.clock.advance(24 * 3_600_000 + 60_000);
    await t.drainJobs();
    expect((await conversationOf(t, 'c-1')).status).toBe('resolved');
    expect((await conversationOf(t, 'c-2')).status).toBe('open');
  });

  it('sends a signed webhook through the job queue, with a delivery id stable across retries', async () => {
    const id = await createRule(t, {
      name: 'CRM',
      event: 'conversation.created',
      actions: [{ type: 'send_webhook', url: callback.url }],
    });
    const secret = (await t.as(t.admin, 'GET', `/api/v1/automation-rules/${id}`)).json()
      .webhookSecret as string;
    callback.script.push({ status: 503 });
    const conv = await inbound('c-1', 'Hi');
    const hooks = () => callback.received.filter((r) => r.headers['x-switchboard-event']);
    expect(hooks()).toHaveLength(1);
    t.clock.advance(60_000);
    await t.drainJobs();
    expect(hooks()).toHaveLength(2);
    const [first, second] = hooks();
    expect(second!.headers['x-switchboard-delivery']).toBe(first!.headers['x-switchboard-delivery']);
    const ts = String(second!.headers['x-switchboard-timestamp']);
    expect(second!.headers['x-switchboard-signature']).toBe(
      `sha256=${hmacSha256Hex(secret, `${ts}.${second!.raw}`)}`,
    );
    expect(second!.body).toMatchObject({
      event: 'conversation.created',
      rule: { id, name: 'CRM' },
      conversation: { id: conv.id },
    });
  });
});
