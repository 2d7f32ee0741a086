import { z } from 'zod';
import type { JobHandler } from '../../worker/worker.ts';

export const DELETE_FILES_JOB = 'privacy.delete-files';

const payload = z.object({ keys: z.array(z.string()) });

/**
 * Deletes stored files whose rows an erasure removed. Written in the erasure's transaction, so the bytes
 * go even if the node stops right after the commit; deleting a file that is already gone is a no-op,
 * so a rerun is harmless.
 */
export const deleteFilesJob: JobHandler = async (ctx, job) => {
  const { keys } = payload.parse(job.payload);
  for (const key of keys) await ctx.files.delete(key);
};
