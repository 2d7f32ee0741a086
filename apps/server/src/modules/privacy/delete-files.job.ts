import { z } from 'zod';
import { defineJob } from '../../worker/define-job.ts';

export const DELETE_FILES_JOB = 'privacy.delete-files';

/**
 * Deletes stored files whose rows an erasure removed. Written in the erasure's transaction, so the bytes
 * go even if the node stops right after the commit; deleting a file that is already gone is a no-op,
 * so a rerun is harmless.
 */
export const deleteFilesJob = defineJob(
  DELETE_FILES_JOB,
  z.object({ keys: z.array(z.string()) }),
  async (ctx, { keys }) => {
    for (const key of keys) await ctx.files.delete(key);
  },
);
