import type { AppContext } from '../app-context.ts';
import type { Tx } from '../infra/db/database.ts';
import type { ClaimedJob } from '../infra/queue/job-queue.port.ts';

/** Jobs whose handler marked them done in its own transaction: the worker has nothing left to write. */
const completedByHandler = new WeakSet<ClaimedJob>();

/**
 * Marks the job done inside the handler's last transaction, so the job's end commits with its result:
 * one statement and one commit (a WAL flush on PostgreSQL) less per job than completing afterwards.
 * If that transaction rolls back the handler throws, and the worker's failure path (which ignores this
 * mark) schedules the retry as before. A lease lost meanwhile leaves the job to its new holder.
 */
export async function completeWithin(ctx: AppContext, tx: Tx, job: ClaimedJob): Promise<void> {
  if (await ctx.queue.complete(job, tx)) completedByHandler.add(job);
}

/** True when the handler already completed the job in its transaction (see completeWithin). */
export function completedInHandler(job: ClaimedJob): boolean {
  return completedByHandler.has(job);
}
