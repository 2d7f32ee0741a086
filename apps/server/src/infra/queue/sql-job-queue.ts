import type { Db, Tx } from '../db/database.ts';
import { newId, randomToken } from '../crypto/ids.ts';
import type { Clock } from '../clock.ts';
import {
  type ClaimedJob,
  type EnqueueInput,
  type FailOptions,
  type JobQueue,
  type JobRecord,
  type JobStatus,
  backoffMs,
} from './job-queue.port.ts';

const DEFAULT_MAX_ATTEMPTS = 10;
const RATE_LIMITED_MAX_AGE_MS = 24 * 3_600_000;

/**
 * Jobs table queue for both dialects. A running job's run_at is its lease expiry, so one condition
 * (status pending|running and run_at <= now) finds due jobs and jobs whose worker died.
 * On PostgreSQL claiming uses FOR UPDATE SKIP LOCKED so nodes never take the same job twice.
 */
export class SqlJobQueue implements JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  async enqueue(tx: Tx, input: EnqueueInput): Promise<string> {
    const [id] = await this.enqueueMany(tx, [input]);
    return id!;
  }

  async enqueueMany(tx: Tx, inputs: EnqueueInput[]): Promise<string[]> {
    if (inputs.length === 0) return [];
    const now = this.clock.now();
    // newId is monotonic within this process, so ids (the order within a key) follow the input order.
    const rows = inputs.map((input) => ({
      id: newId(now),
      type: input.type,
      payload: JSON.stringify(input.payload ?? null),
      status: 'pending',
      attempts: 0,
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: input.runAt ?? now,
      locked_until: null,
      lease_token: null,
      last_error: null,
      account_id: input.accountId ?? null,
      order_key: input.orderKey ?? null,
      created_at: now,
      updated_at: now,
    }));
    // 14 columns a row: 500 rows stay far below SQLite's and PostgreSQL's bound-parameter limits.
    for (let i = 0; i < rows.length; i += 500)
      await tx
        .insertInto('jobs')
        .values(rows.slice(i, i + 500))
        .execute();
    return rows.map((r) => r.id);
  }

  async claim(limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const now = this.clock.now();
    const token = randomToken(12);
    const k = this.db.kysely;
    const due = k
      .selectFrom('jobs as j')
      .select('j.id')
      .where('j.status', 'in', ['pending', 'running'])
      .where('j.run_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('j.order_key', 'is', null),
          eb.not(
            eb.exists(
              eb
                .selectFrom('jobs as before')
                .select('before.id')
                .whereRef('before.order_key', '=', 'j.order_key')
                .where('before.status', 'in', ['pending', 'running'])
                .whereRef('before.id', '<', 'j.id'),
            ),
          ),
        ]),
      )
      .orderBy('j.run_at')
      .limit(limit)
      .$if(this.db.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    const rows = await k
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        run_at: now + leaseMs,
        locked_until: now + leaseMs,
        lease_token: token,
        updated_at: now,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
    const claimed: ClaimedJob[] = [];
    for (const r of rows) {
      // A job whose workers keep dying mid-run would otherwise be retried forever.
      if (r.attempts > r.max_attempts) {
        await k
          .updateTable('jobs')
          .set({
            status: 'dead',
            last_error: r.last_error ?? 'lease expired too many times',
            updated_at: now,
          })
          .where('id', '=', r.id)
          .execute();
        continue;
      }
      claimed.push({
        id: r.id,
        type: r.type,
        payload: JSON.parse(r.payload),
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        accountId: r.account_id,
        leaseToken: token,
        createdAt: r.created_at,
      });
    }
    return claimed;
  }

  async complete(job: ClaimedJob, tx?: Tx): Promise<boolean> {
    const now = this.clock.now();
    const r = await (tx ?? this.db.kysely)
      .updateTable('jobs')
      .set({ status: 'done', locked_until: null, lease_token: null, updated_at: now })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.leaseToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async fail(job: ClaimedJob, error: string, opts: FailOptions = {}): Promise<'retry' | 'dead' | 'lost'> {
    const now = this.clock.now();
    const rateLimited = opts.retryAfterMs !== undefined && opts.final !== true;
    const dead = rateLimited
      ? now - job.createdAt > RATE_LIMITED_MAX_AGE_MS
      : opts.final === true || job.attempts >= job.maxAttempts;
    const delay =
      opts.retryAfterMs !== undefined ? Math.max(0, opts.retryAfterMs) : backoffMs(job.attempts, this.random);
    const r = await this.db.kysely
      .updateTable('jobs')
      .set({
        status: dead ? 'dead' : 'pending',
        run_at: dead ? now : now + delay,
        locked_until: null,
        lease_token: null,
        last_error: error.slice(0, 2000),
        updated_at: now,
        // Undo this claim's count: a rate limit is the provider pacing us, not the job failing.
        ...(rateLimited && !dead ? { attempts: Math.max(0, job.attempts - 1) } : {}),
      })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.leaseToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return 'lost';
    return dead ? 'dead' : 'retry';
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const r = await this.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      type: r.type,
      status: r.status as JobStatus,
      attempts: r.attempts,
      runAt: r.run_at,
      lastError: r.last_error,
    };
  }
}
