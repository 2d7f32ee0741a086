import type { Tx } from './database.ts';

/**
 * Reads made at most once per transaction: the in-transaction listeners of one `transact` each look up
 * the same settings (the account's SLA policies, automation rules, webhook endpoints, a channel's
 * schedule, a conversation's bot) for every event, and a reply or an inbound message emits several.
 * Keyed by an object that lives as long as the transaction (its `tx`, or the `uow` its listeners
 * share), so the memo ends with it: nothing is shared across transactions (no staleness, nothing to
 * invalidate on other nodes). Only for rows nobody writes between the reads within that scope: the
 * listeners' `uow` for rows listeners read and do not write (the transaction's own work is done when
 * they run), never conversation state a listener moves (report cycles, SLA targets) or counters.
 */
const memos = new WeakMap<Tx | ListenerScope, Map<string, Promise<unknown>>>();

/** What in-transaction listeners share for one transaction (modules/events `ListenerUnitOfWork`). */
interface ListenerScope {
  tx: Tx;
}

/** `read()` the first time `key` is asked for in `scope`; the same answer (one promise) after that. */
export function perTransaction<T>(
  scope: Tx | ListenerScope,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  let memo = memos.get(scope);
  if (!memo) {
    memo = new Map();
    memos.set(scope, memo);
  }
  const known = memo.get(key);
  if (known) return known as Promise<T>;
  const fresh = read();
  memo.set(key, fresh);
  // A failed read is not remembered (the caller sees the error; on PostgreSQL the transaction is over).
  fresh.catch(() => memo.delete(key));
  return fresh;
}
