import type { ActionResult, AutomationEvent, ExecutionOutcome } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isTransientFailure } from '../inbound/inbound-failure.ts';
import { transact } from '../events/unit-of-work.ts';
import type { ActionContext } from './action-context.ts';
import { type Cause, MAX_CHAIN_DEPTH, withCause } from './automation-cause.ts';
import { evaluateConditions } from './condition-evaluator.ts';
import { runActions } from './rule-actions.ts';
import { loadFacts } from './rule-facts.ts';
import { type StoredRule, enabledRules } from './rule.store.ts';

/** At most this many rule runs on one conversation within the window; further runs are logged, not done. */
export const RATE_LIMIT = { runs: 20, windowMs: 10 * 60_000 };

export interface RuleTrigger {
  accountId: string;
  event: AutomationEvent;
  conversationId: string;
  messageId: string | null;
  /** Stable across replays of the same trigger (the event id, or the timer's anchor). */
  key: string;
  /** The rules whose actions produced the event (the loop guard). */
  cause: Cause;
  /** Time-based triggers name their one rule. */
  rule?: StoredRule;
}

/**
 * Runs the account's enabled rules of one event on one conversation, in their order, each in its own
 * transaction together with its log row. The log row is unique per rule and trigger, so a job that is
 * replayed after a crash finds the rule already applied (or logged) and does nothing twice.
 */
export async function runRules(ctx: AppContext, t: RuleTrigger): Promise<void> {
  const k = ctx.db.kysely;
  const rules = t.rule ? [t.rule] : await enabledRules(k, t.accountId, [t.event]);
  if (rules.length === 0) return;
  const mute = await k
    .selectFrom('automation_mutes')
    .select('until')
    .where('conversation_id', '=', t.conversationId)
    .executeTakeFirst();
  if (mute && mute.until > ctx.clock.now()) return;
  for (const rule of rules) await runRule(ctx, rule, t);
}

async function runRule(ctx: AppContext, rule: StoredRule, t: RuleTrigger): Promise<void> {
  const k = ctx.db.kysely;
  const seen = await k
    .selectFrom('automation_executions')
    .select('id')
    .where('rule_id', '=', rule.id)
    .where('trigger_key', '=', t.key)
    .executeTakeFirst();
  if (seen) return;
  const conv = await k
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', t.conversationId)
    .where('account_id', '=', t.accountId)
    .executeTakeFirst();
  if (!conv) return;
  const now = ctx.clock.now();
  const facts = await loadFacts(k, conv, t.messageId, now);
  const ev = evaluateConditions(rule.match, rule.conditions, facts);
  const problems = ev.errors.length ? ev.errors.join('; ') : null;
  if (!ev.matched) {
    if (problems) await log(ctx, rule, t, 'failed', [], problems);
    return;
  }
  // Only a rule that would run again is blocked (and logged): events it does not match stay quiet.
  if (t.cause.ruleIds.includes(rule.id) || t.cause.depth >= MAX_CHAIN_DEPTH) {
    const why = t.cause.ruleIds.includes(rule.id)
      ? 'the event was caused by this rule’s own actions'
      : `a chain of ${t.cause.depth} rules`;
    await log(ctx, rule, t, 'loop_blocked', [], why);
    return;
  }
  if (await rateLimited(ctx, conv.id, now)) {
    await log(ctx, rule, t, 'rate_limited', [], `more than ${RATE_LIMIT.runs} rule runs in 10 minutes`);
    return;
  }
  const chain: Cause = { ruleIds: [...t.cause.ruleIds, rule.id], depth: t.cause.depth + 1 };
  try {
    await withCause(chain, () =>
      transact(ctx, async (uow) => {
        const id = newId(now);
        const claimed = await uow.tx
          .insertInto('automation_executions')
          .values(row(rule, t, id, 'applied', [], problems, now))
          .onConflict((oc) => oc.columns(['rule_id', 'trigger_key']).doNothing())
          .executeTakeFirst();
        // Another worker got here first with the same trigger.
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return;
        const a: ActionContext = {
          ctx,
          uow,
          rule,
          event: t.event,
          conv,
          triggerKey: t.key,
          messageId: t.messageId,
          changed: { conversation: false },
        };
        const results = await runActions(a, rule.actions);
        const partial = results.some((r) => r.status === 'refused' || r.status === 'error');
        await uow.tx
          .updateTable('automation_executions')
          .set({ outcome: partial ? 'partial' : 'applied', actions: JSON.stringify(results) })
          .where('id', '=', id)
          .execute();
      }),
    );
  } catch (err) {
    // An outage: the job retries. Anything else would fail the same way again: logged, not retried.
    if (isTransientFailure(err)) throw err;
    ctx.log.warn({ err, ruleId: rule.id, conversationId: conv.id }, 'automation rule failed');
    await log(ctx, rule, t, 'failed', [], (err as Error).message?.slice(0, 500) ?? String(err));
  }
}

async function rateLimited(ctx: AppContext, conversationId: string, now: number): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('automation_executions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .where('outcome', 'in', ['applied', 'partial'])
    .where('created_at', '>', now - RATE_LIMIT.windowMs)
    .executeTakeFirstOrThrow();
  return Number(r.n) >= RATE_LIMIT.runs;
}

function row(
  rule: StoredRule,
  t: RuleTrigger,
  id: string,
  outcome: ExecutionOutcome,
  actions: ActionResult[],
  error: string | null,
  now: number,
) {
  return {
    id,
    account_id: t.accountId,
    rule_id: rule.id,
    conversation_id: t.conversationId,
    event: t.event,
    trigger_key: t.key,
    outcome,
    actions: JSON.stringify(actions),
    error,
    created_at: now,
  };
}

/** A run that did not apply the rule, logged once per trigger. */
async function log(
  ctx: AppContext,
  rule: StoredRule,
  t: RuleTrigger,
  outcome: ExecutionOutcome,
  actions: ActionResult[],
  error: string | null,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely
    .insertInto('automation_executions')
    .values(row(rule, t, newId(now), outcome, actions, error, now))
    .onConflict((oc) => oc.columns(['rule_id', 'trigger_key']).doNothing())
    .execute();
}
