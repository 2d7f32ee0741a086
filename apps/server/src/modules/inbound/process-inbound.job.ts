import { z } from 'zod';
import { transact } from '../events/unit-of-work.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { CRASHED_ATTEMPTS_LIMIT, crashedAttempts, isFinalAttempt, markEventDead } from './inbound-failure.ts';
import { UnknownMessageStatus } from './inbound.service.ts';
import { acknowledgeProvider, applyPrepared, inboundBatcherOf, prepareInbound } from './inbound-batch.ts';
import { defineJob } from '../../worker/define-job.ts';

export const INBOUND_JOB = 'inbound.process';

/**
 * Normalises one stored provider event and applies it, in a transaction shared with the other events
 * being processed at the same time (inbound-batch.ts). Safe to run twice: every write is keyed.
 * A failure that is not an outage is retried briefly, then the event becomes a dead event (kept, shown
 * to admins) and the job goes dead, so the customer's later events stop waiting behind it.
 */
export const processInboundJob = defineJob(
  INBOUND_JOB,
  z.object({ inboundEventId: z.string() }),
  async (ctx, { inboundEventId }, job) => {
    const ev = await ctx.db.kysely
      .selectFrom('inbound_events')
      .selectAll()
      .where('id', '=', inboundEventId)
      .executeTakeFirst();
    if (!ev || ev.processed_at !== null || ev.failed_at !== null) return;
    const crashed = await crashedAttempts(ctx, job.id, job.attempts);
    if (crashed >= CRASHED_ATTEMPTS_LIMIT) {
      const message = `processing stopped the worker ${crashed} times (crash or lease expiry); not tried again`;
      await markEventDead(ctx, ev.id, message);
      throw new PermanentError(`dead event: ${message}`, 'dead_event');
    }
    try {
      const prepared = await prepareInbound(ctx, ev, job);
      // On SQLite a first attempt shares a transaction with the other events being processed on this
      // node (its transactions run one at a time anyway). On PostgreSQL each event keeps its own: the
      // worker's concurrent transactions overlap their round trips, and one shared transaction at a time
      // measured slower (docs/benchmarks.md, 2026-12-08). A retry always runs alone, so an event that
      // failed or crashed a worker never takes other events down with it.
      if (job.attempts <= 1 && ctx.db.dialect === 'sqlite') await inboundBatcherOf(ctx).submit(prepared);
      else await transact(ctx, (uow) => applyPrepared(ctx, uow, prepared));
      await acknowledgeProvider(ctx, prepared);
    } catch (err) {
      const unknownStatus = err instanceof UnknownMessageStatus;
      if (unknownStatus || !isFinalAttempt(err, job.attempts, job.maxAttempts))
        throw unknownStatus ? new RetryableError((err as Error).message) : err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await markEventDead(ctx, ev.id, message);
      throw new PermanentError(`dead event: ${message}`, 'dead_event');
    }
  },
);
