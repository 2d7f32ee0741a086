import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { defineJob } from '../../worker/define-job.ts';
import { PermanentError } from '../../worker/job-errors.ts';
import { CONTACT_IMPORT_JOB, failImport, runImport } from './import-job.service.ts';

const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 15_000;

class LeaseLost extends Error {}

/** A long import outlives the worker's lease: renew it, keyed on our token; lost anyway, stop at once. */
function leaseKeeper(ctx: AppContext, job: ClaimedJob) {
  let renewedAt = ctx.clock.now();
  return async (_progress: unknown) => {
    if (ctx.clock.now() - renewedAt < RENEW_EVERY_MS) return;
    const until = ctx.clock.now() + LEASE_MS;
    const r = await ctx.db.kysely
      .updateTable('jobs')
      .set({ run_at: until, locked_until: until, updated_at: ctx.clock.now() })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.leaseToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new LeaseLost('import job lease lost; another worker owns it');
    renewedAt = ctx.clock.now();
  };
}

/** `contacts.import`: one uploaded file into contacts, resumable (see runImport). */
export const contactImportJob = defineJob(
  CONTACT_IMPORT_JOB,
  z.object({ importId: z.string() }),
  async (ctx, { importId }, job) => {
    const k = ctx.db.kysely;
    const row = await k
      .selectFrom('contact_imports')
      .selectAll()
      .where('id', '=', importId)
      .executeTakeFirst();
    if (!row || row.status === 'done' || row.status === 'failed') return;
    try {
      await runImport(ctx, row, leaseKeeper(ctx, job));
    } catch (err) {
      if (err instanceof LeaseLost) throw err;
      const permanent = err instanceof DomainError || err instanceof PermanentError;
      if (permanent || job.attempts >= job.maxAttempts) await failImport(ctx, row.id, (err as Error).message);
      throw permanent ? new PermanentError((err as Error).message) : err;
    }
  },
);
