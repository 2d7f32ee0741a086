import type { AutomationEvent } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { transact } from '../events/unit-of-work.ts';
import { NO_CAUSE } from './automation-cause.ts';
import { runRules } from './rule-runner.ts';
import { type StoredRule, enabledRules, findRule } from './rule.store.ts';

export const RULE_TIMER_JOB = 'automation.timer';

export const ruleTimerPayloadSchema = z.object({
  accountId: z.string(),
  ruleId: z.string(),
  conversationId: z.string(),
  /** When the waiting began; a job whose anchor is no longer the stored one is stale. */
  anchor: z.number(),
});
export type RuleTimerPayload = z.infer<typeof ruleTimerPayloadSchema>;

/** What the rules listener knows about a stored message. */
export interface MessageFacts {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  private: boolean;
  createdAt: number;
}

/**
 * Time-based rules are durable jobs with a run-at, never timers in memory: each (rule, conversation)
 * keeps one anchor row (when the waiting began) and a job due at anchor + delay. The job re-checks the
 * conversation when it runs, so a reply, a status change or a newer anchor make it a no-op.
 */
async function arm(ctx: AppContext, rule: StoredRule, conversationId: string, anchor: number, keep: boolean) {
  await transact(ctx, async (uow) => {
    const current = await uow.tx
      .selectFrom('automation_timers')
      .select('anchor_at')
      .where('rule_id', '=', rule.id)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (current && (keep || current.anchor_at === anchor)) return;
    await uow.tx
      .insertInto('automation_timers')
      .values({
        rule_id: rule.id,
        conversation_id: conversationId,
        account_id: rule.accountId,
        anchor_at: anchor,
      })
      .onConflict((oc) => oc.columns(['rule_id', 'conversation_id']).doUpdateSet({ anchor_at: anchor }))
      .execute();
    const payload: RuleTimerPayload = { accountId: rule.accountId, ruleId: rule.id, conversationId, anchor };
    await uow.enqueue({
      type: RULE_TIMER_JOB,
      payload,
      accountId: rule.accountId,
      runAt: anchor + (rule.delayMinutes ?? 0) * 60_000,
    });
  });
}

async function disarm(ctx: AppContext, ruleIds: string[], conversationId: string) {
  if (!ruleIds.length) return;
  await ctx.db.kysely
    .deleteFrom('automation_timers')
    .where('rule_id', 'in', ruleIds)
    .where('conversation_id', '=', conversationId)
    .execute();
}

/** A message was stored: customer messages start "waiting for a reply", business ones "no customer reply". */
export async function armForMessage(ctx: AppContext, accountId: string, m: MessageFacts): Promise<void> {
  if (m.private) return;
  const rules = await enabledRules(ctx.db.kysely, accountId, [
    'conversation.waiting_for_reply',
    'conversation.no_customer_reply',
  ]);
  for (const r of rules) {
    if (r.event === 'conversation.waiting_for_reply' && m.direction === 'in') {
      // The wait runs from the first unanswered message: later ones do not push it back.
      const answered = await answeredSince(ctx, m.conversationId, r.id);
      await arm(ctx, r, m.conversationId, m.createdAt, !answered);
    } else if (r.event === 'conversation.no_customer_reply' && m.direction === 'out') {
      await arm(ctx, r, m.conversationId, m.createdAt, false);
    }
  }
}

/** The stored anchor of a waiting timer was answered since (or there is none): a new wait begins. */
async function answeredSince(ctx: AppContext, conversationId: string, ruleId: string): Promise<boolean> {
  const k = ctx.db.kysely;
  const t = await k
    .selectFrom('automation_timers')
    .select('anchor_at')
    .where('rule_id', '=', ruleId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!t) return true;
  return (await businessAnswer(ctx, conversationId, t.anchor_at)) || (await ranFor(ctx, ruleId, t.anchor_at));
}

async function ranFor(ctx: AppContext, ruleId: string, anchor: number): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('automation_executions')
    .select('id')
    .where('rule_id', '=', ruleId)
    .where('trigger_key', '=', `timer:${anchor}`)
    .executeTakeFirst();
  return r !== undefined;
}

/** A conversation changed: entering `pending` starts "pending for N", leaving it cancels. */
export async function armForConversation(
  ctx: AppContext,
  accountId: string,
  conversationId: string,
  status: string,
  at: number,
): Promise<void> {
  const rules = await enabledRules(ctx.db.kysely, accountId, ['conversation.pending_for']);
  if (status !== 'pending')
    return disarm(
      ctx,
      rules.map((r) => r.id),
      conversationId,
    );
  for (const r of rules) await arm(ctx, r, conversationId, at, true);
}

async function businessAnswer(ctx: AppContext, conversationId: string, since: number): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'out')
    .where('private', '=', 0)
    .where('author_kind', 'in', ['user', 'bot'])
    .where('created_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

async function customerWrote(ctx: AppContext, conversationId: string, since: number): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in')
    .where('created_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Is the waiting this timer measures still going on? */
async function stillDue(ctx: AppContext, event: AutomationEvent, p: RuleTimerPayload): Promise<boolean> {
  const conv = await ctx.db.kysely
    .selectFrom('conversations')
    .select('status')
    .where('id', '=', p.conversationId)
    .executeTakeFirst();
  if (!conv) return false;
  if (event === 'conversation.pending_for') return conv.status === 'pending';
  if (conv.status === 'resolved') return false;
  if (event === 'conversation.waiting_for_reply')
    return !(await businessAnswer(ctx, p.conversationId, p.anchor));
  return !(await customerWrote(ctx, p.conversationId, p.anchor));
}

export async function ruleTimerJob(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const p = ruleTimerPayloadSchema.parse(job.payload);
  const k = ctx.db.kysely;
  const timer = await k
    .selectFrom('automation_timers')
    .select('anchor_at')
    .where('rule_id', '=', p.ruleId)
    .where('conversation_id', '=', p.conversationId)
    .executeTakeFirst();
  if (timer?.anchor_at !== p.anchor) return;
  const rule = await findRule(k, p.accountId, p.ruleId);
  if (!rule?.enabled) return;
  if (!(await stillDue(ctx, rule.event, p))) return;
  await runRules(ctx, {
    accountId: p.accountId,
    event: rule.event,
    conversationId: p.conversationId,
    messageId: null,
    key: `timer:${p.anchor}`,
    cause: NO_CAUSE,
    rule,
  });
}
