import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';

/**
 * The loop guard's memory. While a rule's actions run, the chain of rules behind them is kept in
 * async-local storage; the rules listener runs inside the same transaction as every event those
 * actions emit, reads the chain there and writes it into the event's rule job. So the job knows which
 * rules caused its event: a rule never runs on an event its own actions produced (directly or through
 * other rules), and a chain stops after MAX_CHAIN_DEPTH rules.
 */
export const causeSchema = z.object({ ruleIds: z.array(z.string()), depth: z.number().int() });
export type Cause = z.infer<typeof causeSchema>;

export const MAX_CHAIN_DEPTH = 3;
export const NO_CAUSE: Cause = { ruleIds: [], depth: 0 };

const store = new AsyncLocalStorage<Cause>();

export function withCause<T>(cause: Cause, fn: () => Promise<T>): Promise<T> {
  return store.run(cause, fn);
}

export function currentCause(): Cause {
  return store.getStore() ?? NO_CAUSE;
}
