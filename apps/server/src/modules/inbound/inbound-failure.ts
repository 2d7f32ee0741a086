import type { AppContext } from '../../app-context.ts';
import { isUnavailable } from '../../infra/unavailable.ts';

/**
 * Attempts an inbound event gets when its failure is not an outage. Such failures (a payload the parser
 * rejects, a value the database refuses, a bug) come back on every attempt, and every attempt holds the
 * customer's later events behind this one; three attempts (about 3 s of backoff) still ride out a rare
 * race before the event is declared dead.
 */
export const POISON_ATTEMPTS = 3;

/** PostgreSQL: serialization failure, deadlock, lock not available; retrying is the cure. */
const RETRY_CODES = new Set(['40001', '40P01', '55P03']);

/**
 * An outage or a concurrency conflict, which goes away by itself: retried on the queue's full schedule
 * (everything else is waiting on the same database anyway).
 */
export function isTransientFailure(err: unknown): boolean {
  if (isUnavailable(err)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (RETRY_CODES.has(code) || code.startsWith('SQLITE_IOERR'));
}

/**
 * Attempts whose worker died (crash, out of memory, kill -9) before it could record anything. An event
 * that takes the worker down is worse than one that throws: without this it would be tried `max_attempts`
 * times, each costing a worker and a lease (60 s) of the customer's later events waiting behind it.
 */
export const CRASHED_ATTEMPTS_LIMIT = 2;

/**
 * How many earlier attempts of this job ended without recording a failure, i.e. their worker died: every
 * failure a worker survives is stored in the job's `last_error` (never cleared), so while it is empty
 * all earlier attempts crashed.
 */
export async function crashedAttempts(ctx: AppContext, jobId: string, attempts: number): Promise<number> {
  if (attempts <= 1) return 0;
  const row = await ctx.db.kysely
    .selectFrom('jobs')
    .select('last_error')
    .where('id', '=', jobId)
    .executeTakeFirst();
  return row && row.last_error === null ? attempts - 1 : 0;
}

/** Whether this failed attempt is the last one the event gets. */
export function isFinalAttempt(err: unknown, attempts: number, maxAttempts: number): boolean {
  if (attempts >= maxAttempts) return true;
  return !isTransientFailure(err) && attempts >= POISON_ATTEMPTS;
}

const ERROR_MAX = 2000;

/**
 * Records that an inbound event's processing failed for good: the row stays, with its payload, for an
 * admin to retry or discard (`/api/v1/dead-events`); its job goes dead, which releases the customer's
 * later events queued behind it.
 */
export async function markEventDead(ctx: AppContext, inboundEventId: string, error: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('inbound_events')
    .set({ failed_at: ctx.clock.now(), last_error: error.slice(0, ERROR_MAX) })
    .where('id', '=', inboundEventId)
    .where('processed_at', 'is', null)
    .execute();
}
