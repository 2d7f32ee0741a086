import type { EventPayload, EventType } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { TOPICS } from '../../infra/bus/event-bus.port.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { EnqueueInput } from '../../infra/queue/job-queue.port.ts';
import { EVENT_LISTENER_JOB, type EventListenerJob } from './event-listener.job.ts';
import { sequencerOf } from './event-sequencer.ts';
import type { CommittedEvent, EmittedEvent } from './event-listeners.ts';

export interface UnitOfWork {
  tx: Tx;
  /**
   * Records an account event; its listeners run at the end of this transaction and it is numbered and
   * written just before commit.
   */
  emit<K extends EventType>(
    accountId: string,
    type: K,
    payload: EventPayload<K>,
    teamId?: string | null,
  ): void;
  /** Writes a job in this transaction (transactional outbox). */
  enqueue(input: EnqueueInput): Promise<string>;
  /** Writes several jobs in one statement, in the order given (see JobQueue.enqueueMany). */
  enqueueMany(inputs: EnqueueInput[]): Promise<string[]>;
}

/**
 * Runs `fn` in one transaction together with the events and jobs it produces, then, after commit,
 * tells the other nodes. At the end of `fn` the events go to their listeners (in-transaction ones run,
 * job ones get their jobs written); then they are written. On SQLite (one writer at a time anyway) they
 * are numbered there, the per-account sequence row locked last (no lock-order deadlocks). On PostgreSQL
 * they are written unnumbered and the account's sequencer numbers them right after commit
 * (`event-sequencer.ts`), so no transaction holds the account row through its commit; `transact`
 * answers once its own events have their numbers, and after-commit listeners get them numbered.
 */
export async function transact<T>(ctx: AppContext, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let committed: CommittedEvent[] = [];
  let unnumbered: Unnumbered[] = [];
  let wakeWorkers = false;
  const result = await ctx.db.kysely.transaction().execute(async (tx) => {
    const pending: EmittedEvent[] = [];
    const enqueue = async (input: EnqueueInput) => {
      wakeWorkers = true;
      return ctx.queue.enqueue(tx, input);
    };
    const uow: UnitOfWork = {
      tx,
      emit: (accountId, type, payload, teamId = null) => {
        const now = ctx.clock.now();
        pending.push({ id: newId(now), accountId, type, payload, teamId, createdAt: now } as EmittedEvent);
      },
      enqueue,
      enqueueMany: async (inputs) => {
        if (inputs.length) wakeWorkers = true;
        return ctx.queue.enqueueMany(tx, inputs);
      },
    };
    const value = await fn(uow);
    await runListeners(ctx, { tx, enqueue }, pending);
    if (ctx.db.dialect === 'postgres') unnumbered = await writeUnnumbered(ctx, tx, pending);
    else committed = await writeEvents(ctx, tx, pending);
    return value;
  });
  if (unnumbered.length) committed = await numberAfterCommit(ctx, unnumbered);
  await publishAfterCommit(ctx, committed, wakeWorkers);
  return result;
}

async function runListeners(
  ctx: AppContext,
  uow: { tx: Tx; enqueue: UnitOfWork['enqueue'] },
  events: EmittedEvent[],
): Promise<void> {
  for (const event of events) {
    for (const l of ctx.listeners.of('in-transaction')) {
      if (l.events.includes(event.type)) await l.handle(ctx, uow, event);
    }
    for (const l of ctx.listeners.of('job')) {
      if (!l.events.includes(event.type) || l.accepts?.(event) === false) continue;
      const payload: EventListenerJob = { listener: l.name, event };
      await uow.enqueue({
        type: EVENT_LISTENER_JOB,
        payload,
        accountId: event.accountId,
        orderKey: l.orderKey?.(event),
        maxAttempts: l.maxAttempts,
      });
    }
  }
  if (!events.length) return;
  for (const l of ctx.listeners.of('in-transaction')) await l.settle?.(ctx, uow, events);
}

async function writeEvents(ctx: AppContext, tx: Tx, pending: EmittedEvent[]): Promise<CommittedEvent[]> {
  const out: CommittedEvent[] = [];
  const byAccount = new Map<string, EmittedEvent[]>();
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
      out.push({ ...p, seq, createdAt: now });
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

interface Unnumbered {
  event: EmittedEvent;
  pos: number;
  createdAt: number;
}

async function writeUnnumbered(ctx: AppContext, tx: Tx, pending: EmittedEvent[]): Promise<Unnumbered[]> {
  if (!pending.length) return [];
  const now = ctx.clock.now();
  const rows = await tx
    .insertInto('account_events')
    .values(
      pending.map((p) => ({
        account_id: p.accountId,
        seq: null,
        type: p.type,
        team_id: p.teamId,
        payload: JSON.stringify(p.payload),
        created_at: now,
      })),
    )
    // A multi-row VALUES insert takes its identity values and returns its rows in the order given.
    .returning('pos')
    .execute();
  return pending.map((event, i) => ({ event, pos: rows[i]!.pos, createdAt: now }));
}

/** Waits for the account's sequencer; events it could not number stay for the next one or the sweep. */
async function numberAfterCommit(ctx: AppContext, written: Unnumbered[]): Promise<CommittedEvent[]> {
  const byAccount = new Map<string, Unnumbered[]>();
  for (const w of written) byAccount.set(w.event.accountId, [...(byAccount.get(w.event.accountId) ?? []), w]);
  const sequencer = sequencerOf(ctx);
  const out = await Promise.all(
    [...byAccount].map(async ([accountId, list]) => {
      try {
        const seqs = await sequencer.sequence(
          accountId,
          list.map((w) => w.pos),
        );
        return list.map((w, i): CommittedEvent => ({ ...w.event, seq: seqs[i]!, createdAt: w.createdAt }));
      } catch (err) {
        // Already committed: the sweep numbers them, and consoles get them from the event log.
        ctx.log.warn({ err, accountId }, 'account events committed but not numbered yet');
        return [];
      }
    }),
  );
  return out.flat();
}

async function publishAfterCommit(ctx: AppContext, events: CommittedEvent[], wake: boolean): Promise<void> {
  for (const l of ctx.listeners.of('after-commit')) {
    const mine = events.filter((e) => l.events.includes(e.type));
    if (!mine.length) continue;
    try {
      await l.handle(ctx, mine);
    } catch (err) {
      // Already committed: sockets catch up from the event log.
      ctx.log.warn({ err, listener: l.name }, 'after-commit listener failed');
    }
  }
  try {
    if (wake) await ctx.bus.publish(TOPICS.jobsWake, {});
  } catch (err) {
    // Already committed: workers find the jobs by polling.
    ctx.log.warn({ err }, 'bus publish failed after commit');
  }
}
