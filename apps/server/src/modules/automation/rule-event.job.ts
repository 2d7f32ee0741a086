import { isEvent, TIMED_AUTOMATION_EVENTS } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { perTransaction } from '../../infra/db/per-transaction.ts';
import type { ClaimedJob, EnqueueInput } from '../../infra/queue/job-queue.port.ts';
import { causeSchema, currentCause } from './automation-cause.ts';
import { RULE_SOURCE_EVENTS, handleRuleEvent } from './rule-events.ts';

export const RULE_EVENT_JOB = 'automation.event';

export const ruleEventPayloadSchema = z.object({
  event: z.object({
    id: z.string(),
    accountId: z.string(),
    type: z.enum(RULE_SOURCE_EVENTS),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.number(),
  }),
  cause: causeSchema,
});
export type RuleEventPayload = z.infer<typeof ruleEventPayloadSchema>;

interface EventLike {
  id: string;
  accountId: string;
  type: string;
  payload: unknown;
  createdAt: number;
}

const isSource = (t: string): t is (typeof RULE_SOURCE_EVENTS)[number] =>
  (RULE_SOURCE_EVENTS as readonly string[]).includes(t);

function conversationOf(e: EventLike): string | undefined {
  if (isEvent(e, 'message.created', 'sla.breached')) return e.payload.conversationId;
  if (isEvent(e, 'conversation.created', 'conversation.updated')) return e.payload.id;
  return undefined;
}

/**
 * The events the account's enabled rules start on, read once per transaction (its listeners' `uow`):
 * a reply's or an inbound batch's several events ask the same question, and no listener writes rules.
 */
function enabledRuleEvents(uow: { tx: Tx }, accountId: string): Promise<Set<string>> {
  return perTransaction(uow, `automation.ruleEvents:${accountId}`, async () => {
    const rows = await uow.tx
      .selectFrom('automation_rules')
      .select('event')
      .distinct()
      .where('account_id', '=', accountId)
      .where('enabled', '=', 1)
      .execute();
    return new Set(rows.map((r) => r.event));
  });
}

/**
 * Runs in the transaction that emitted the event: when the account has an enabled rule this event can
 * start (or arm, for time-based rules), writes one `automation.event` job with the event and the chain
 * of rules that caused it, ordered per conversation. Accounts without rules pay one indexed lookup per
 * transaction.
 */
export async function enqueueRuleEvent(
  uow: { tx: Tx; enqueue(input: EnqueueInput): Promise<string> },
  e: EventLike,
): Promise<void> {
  if (!isSource(e.type)) return;
  const conversationId = conversationOf(e);
  if (!conversationId) return;
  const events = await enabledRuleEvents(uow, e.accountId);
  if (!events.has(e.type) && !TIMED_AUTOMATION_EVENTS.some((t) => events.has(t))) return;
  const payload: RuleEventPayload = {
    event: {
      id: e.id,
      accountId: e.accountId,
      type: e.type,
      payload: e.payload as Record<string, unknown>,
      createdAt: e.createdAt,
    },
    cause: currentCause(),
  };
  await uow.enqueue({
    type: RULE_EVENT_JOB,
    payload,
    accountId: e.accountId,
    // Rules see one conversation's events in the order they happened.
    orderKey: `automation:${conversationId}`,
  });
}

export async function ruleEventJob(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const p = ruleEventPayloadSchema.parse(job.payload);
  await handleRuleEvent(ctx, p.event, p.cause);
}
