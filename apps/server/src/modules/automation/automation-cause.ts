import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from '../../infra/db/database.ts';

/**
 * The loop guard's memory. While a rule's actions run, the chain of rules behind them is kept in
 * async-local storage; every event those actions emit is recorded with that chain, in the same
 * transaction (an in-transaction listener), so the rules listener later knows which rules caused it.
 * A rule never runs on an event its own actions (directly or through other rules) produced, and a
 * chain stops after MAX_CHAIN_DEPTH rules.
 */
export interface Cause {
  ruleIds: string[];
  depth: number;
}

export const MAX_CHAIN_DEPTH = 3;
export const NO_CAUSE: Cause = { ruleIds: [], depth: 0 };

const store = new AsyncLocalStorage<Cause>();

export function withCause<T>(cause: Cause, fn: () => Promise<T>): Promise<T> {
  return store.run(cause, fn);
}

export function currentCause(): Cause | undefined {
  return store.getStore();
}

/** Called for each event emitted in a transaction: remembers it when a rule's actions emitted it. */
export async function recordCause(
  tx: Tx,
  event: { id: string; accountId: string },
  now: number,
): Promise<void> {
  const cause = currentCause();
  if (!cause) return;
  await tx
    .insertInto('automation_causes')
    .values({
      event_id: event.id,
      account_id: event.accountId,
      rule_ids: JSON.stringify(cause.ruleIds),
      depth: cause.depth,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function causeOf(k: Tx, eventId: string): Promise<Cause> {
  const row = await k
    .selectFrom('automation_causes')
    .select(['rule_ids', 'depth'])
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row ? { ruleIds: JSON.parse(row.rule_ids) as string[], depth: row.depth } : NO_CAUSE;
}
