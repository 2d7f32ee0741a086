import type { AppContext } from '../../app-context.ts';
import { z } from 'zod';
import { defineJob } from '../../worker/define-job.ts';
import { runRetention } from './retention.service.ts';

export const RETENTION_JOB = 'maintenance.retention';
/** One retention pass at a time, whichever node enqueued it. */
const ORDER_KEY = 'maintenance:retention';

export const retentionJob = defineJob(RETENTION_JOB, z.object({}), async (ctx) => {
  const report = await runRetention(ctx);
  const total = Object.values(report).reduce((a, b) => a + b, 0);
  if (total > 0) ctx.log.info({ retention: report }, 'retention: old rows and files deleted');
});

/**
 * Enqueues a retention pass unless one is already waiting or running. Called by every worker node on
 * start and every RETENTION_INTERVAL_MINUTES; two nodes racing here may enqueue one each, which the
 * shared order key runs one after the other (the second finds little left to do).
 */
export async function ensureRetentionJob(ctx: AppContext): Promise<boolean> {
  const k = ctx.db.kysely;
  const waiting = await k
    .selectFrom('jobs')
    .select('id')
    .where('type', '=', RETENTION_JOB)
    .where('status', 'in', ['pending', 'running'])
    .limit(1)
    .executeTakeFirst();
  if (waiting) return false;
  await k
    .transaction()
    .execute((tx) =>
      ctx.queue.enqueue(tx, { type: RETENTION_JOB, payload: {}, orderKey: ORDER_KEY, maxAttempts: 3 }),
    );
  return true;
}

/** The worker's timer for the periodic pass (no in-memory state beyond the timer itself). */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: AppContext) {}

  start(): void {
    const tick = () =>
      void ensureRetentionJob(this.ctx).catch((err) =>
        this.ctx.log.warn({ err }, 'retention: could not schedule a pass'),
      );
    tick();
    this.timer = setInterval(tick, this.ctx.config.retention.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
