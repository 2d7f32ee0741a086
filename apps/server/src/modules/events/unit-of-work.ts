import type { AccountEvent, EventType } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { TOPICS } from '../../infra/bus/event-bus.port.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { EnqueueInput } from '../../infra/queue/job-queue.port.ts';
import { applyReportEvents } from '../reports/reports.listener.ts';

export interface UnitOfWork {
  tx: Tx;
  /** Records an account event; it is numbered and written just before commit. */
  emit(accountId: string, type: EventType, payload: unknown, teamId?: string | null): void;
  /** Writes a job in this transaction (transactional outbox). */
  enqueue(input: EnqueueInput): Promise<string>;
}

interface PendingEvent {
  accountId: string;
  type: EventType;
  payload: unknown;
  teamId: string | null;
}

/**
 * Runs `fn` in one transaction together with the events and jobs it produces, then, after commit,
 * tells the other nodes. Events are numbered at the very end so the per-account sequence row is
 * locked for the shortest time and always last (no lock-order deadlocks between transactions).
 */
export async function transact<T>(ctx: AppContext, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let committed: AccountEvent[] = [];
  let wakeWorkers = false;
  const result = await ctx.db.kysely.transaction().execute(async (tx) => {
    const pending: PendingEvent[] = [];
    const uow: UnitOfWork = {
      tx,
      emit: (accountId, type, payload, teamId = null) => {
        pending.push({ accountId, type, payload, teamId });
      },
      enqueue: async (input) => {
        wakeWorkers = true;
        return ctx.queue.enqueue(tx, input);
      },
    };
    const value = await fn(uow);
    const now = ctx.clock.now();
    await applyReportEvents(
      tx,
      pending.map((p) => ({ ...p, createdAt: now })),
    );
    committed = await writeEvents(ctx, tx, pending);
    return value;
  });
  await publishAfterCommit(ctx, committed, wakeWorkers);
  return result;
}

async function writeEvents(ctx: AppContext, tx: Tx, pending: PendingEvent[]): Promise<AccountEvent[]> {
  const out: AccountEvent[] = [];
  const byAccount = new Map<string, PendingEvent[]>();
  for (const p of pending) byAccount.set(p.accountId, [...(byAccount.get(p.accountId) ?? []), p]);
  const now = ctx.clock.now();
  // Sorted so two transactions touching the same accounts lock them in the same order.
  for (const accountId of [...byAccount.keys()].sort()) {
    const list = byAccount.get(accountId)!;
    const row = await tx
      .updateTable('accounts')
      .set((eb) => ({ event_seq: eb('event_seq', '+', list.length) }))
      .where('id', '=', accountId)
      .returning('event_seq')
      .executeTakeFirstOrThrow();
    let seq = row.event_seq - list.length;
    const rows = list.map((p) => {
      seq++;
      out.push({ accountId, seq, type: p.type, teamId: p.teamId, payload: p.payload, createdAt: now });
      return {
        account_id: accountId,
        seq,
        type: p.type,
        team_id: p.teamId,
        payload: JSON.stringify(p.payload),
        created_at: now,
      };
    });
    await tx.insertInto('account_events').values(rows).execute();
  }
  return out;
}

async function publishAfterCommit(ctx: AppContext, events: AccountEvent[], wake: boolean): Promise<void> {
  try {
    for (const e of events) await ctx.bus.publish(TOPICS.accountEvents, e);
    if (wake) await ctx.bus.publish(TOPICS.jobsWake, {});
  } catch (err) {
    // Already committed: sockets catch up from the event log, workers from polling.
    ctx.log.warn({ err }, 'bus publish failed after commit');
  }
}
