import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../infra/db/database.ts';

/**
 * Numbers account events after their commit (PostgreSQL). Emitting transactions insert their events
 * with `seq` null and never touch the account row, so one account's transactions no longer queue on its
 * row lock through each commit's WAL flush. A sequencing transaction then locks the account row, numbers
 * every unnumbered event of the account in insertion order (`pos`) from `event_seq + 1`, moves
 * `event_seq` on and commits. Because every numbering holds that row lock, numbers stay gap-free and
 * unique across nodes, and all numbers of one sequencing become visible at once: a reader of
 * `seq > cursor` never sees a later number before an earlier one.
 *
 * On one node, transactions of an account that commit while a sequencing is running wait and share the
 * next one, so under load many transactions cost one extra commit between them.
 */

/** Rows numbered per statement; a sequencing keeps going until a statement numbers fewer. */
const CHUNK = 5000;

/** Numbers every unnumbered event of the account visible now; answers `pos → seq` of those it numbered. */
export async function numberAccountEvents(db: Db, accountId: string): Promise<Map<number, number>> {
  return db.kysely.transaction().execute(async (tx) => {
    const account = await tx
      .selectFrom('accounts')
      .select('event_seq')
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    const out = new Map<number, number>();
    if (!account) return out;
    let last = account.event_seq;
    for (;;) {
      // Read after the lock is held, so this statement's snapshot includes every earlier sequencing.
      const { rows } = await sql<{ pos: number; seq: number }>`
        with todo as (
          select pos, row_number() over (order by pos) as n from account_events
          where account_id = ${accountId} and seq is null
          order by pos limit ${CHUNK}
        ), numbered as (
          update account_events e set seq = ${last}::bigint + todo.n from todo
          where e.account_id = ${accountId} and e.seq is null and e.pos = todo.pos
          returning e.pos, e.seq
        ), bump as (
          update accounts set event_seq = event_seq + (select count(*) from numbered) where id = ${accountId}
        )
        select pos, seq from numbered`.execute(tx);
      for (const r of rows) out.set(r.pos, r.seq);
      last += rows.length;
      if (rows.length < CHUNK) return out;
    }
  });
}

interface Waiter {
  positions: number[];
  resolve: (seqs: number[]) => void;
  reject: (err: unknown) => void;
}

/** One account's sequencing on this node: one at a time, later callers share the next one. */
class AccountSequencer {
  private waiting: Waiter[] = [];
  private running = false;
  /** Sequencings run and callers they served (tests, the bench's log line). */
  readonly stats = { runs: 0, callers: 0 };

  constructor(
    private readonly db: Db,
    private readonly accountId: string,
  ) {}

  /**
   * Resolves with the numbers of `positions` (events this caller committed before calling) from a
   * sequencing that started after the call.
   */
  sequence(positions: number[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ positions, resolve, reject });
      if (this.running) return;
      this.running = true;
      // After the I/O phase: transactions whose commits were answered in the same turn share this one.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.run(this.waiting.splice(0));
    } finally {
      this.running = false;
    }
  }

  private async run(batch: Waiter[]): Promise<void> {
    let numbered: Map<number, number>;
    try {
      numbered = await numberAccountEvents(this.db, this.accountId);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    this.stats.runs++;
    this.stats.callers += batch.length;
    const answers: { w: Waiter; seqs: number[] }[] = [];
    const missing = batch.flatMap((w) => w.positions.filter((p) => !numbered.has(p)));
    // Numbered by another node's sequencing (or the sweep) first: read what they got.
    const elsewhere = missing.length
      ? await this.lookUp(missing).catch(() => new Map<number, number>())
      : numbered;
    for (const w of batch) {
      const seqs = w.positions.map((p) => numbered.get(p) ?? elsewhere.get(p));
      if (seqs.some((s) => s === undefined)) w.reject(new Error('account events left unnumbered'));
      else answers.push({ w, seqs: seqs as number[] });
    }
    // Resolved in sequence order, so this node publishes the events in the order consoles apply them.
    answers.sort((a, b) => (a.seqs[0] ?? 0) - (b.seqs[0] ?? 0));
    for (const a of answers) a.w.resolve(a.seqs);
  }

  private async lookUp(positions: number[]): Promise<Map<number, number>> {
    const rows = await this.db.kysely
      .selectFrom('account_events')
      .select(['pos', 'seq'])
      .where('pos', 'in', positions)
      .where('seq', 'is not', null)
      .$narrowType<{ seq: number }>()
      .execute();
    return new Map(rows.map((r) => [r.pos, r.seq]));
  }
}

/** The sequencers of one process, one per account that emitted events through it. */
export class EventSequencer {
  private readonly accounts = new Map<string, AccountSequencer>();

  constructor(private readonly db: Db) {}

  sequence(accountId: string, positions: number[]): Promise<number[]> {
    let s = this.accounts.get(accountId);
    if (!s) {
      s = new AccountSequencer(this.db, accountId);
      this.accounts.set(accountId, s);
    }
    return s.sequence(positions);
  }

  stats(): { runs: number; callers: number } {
    let runs = 0;
    let callers = 0;
    for (const s of this.accounts.values()) {
      runs += s.stats.runs;
      callers += s.stats.callers;
    }
    return { runs, callers };
  }

  /**
   * Numbers what a node that died between its commit and its sequencing left behind (the next event of
   * the account would too; this covers an account that goes quiet). Answers how many accounts had some.
   */
  async sweep(): Promise<number> {
    const rows = await this.db.kysely
      .selectFrom('account_events')
      .select('account_id')
      .distinct()
      .where('seq', 'is', null)
      .execute();
    for (const r of rows) await this.sequence(r.account_id, []);
    return rows.length;
  }
}

const sequencers = new WeakMap<Db, EventSequencer>();

/** This process's sequencer for the context's database. */
export function sequencerOf(ctx: AppContext): EventSequencer {
  let s = sequencers.get(ctx.db);
  if (!s) {
    s = new EventSequencer(ctx.db);
    sequencers.set(ctx.db, s);
  }
  return s;
}

export const SWEEP_INTERVAL_MS = 5000;

/** Every node's timer for the sweep: at start (a restart after a crash) and then periodically. */
export class EventSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: AppContext) {}

  start(): this {
    if (this.ctx.db.dialect !== 'postgres') return this;
    const tick = () =>
      void sequencerOf(this.ctx)
        .sweep()
        .catch((err) => this.ctx.log.warn({ err }, 'event sequencer: sweep failed'));
    tick();
    this.timer = setInterval(tick, SWEEP_INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
