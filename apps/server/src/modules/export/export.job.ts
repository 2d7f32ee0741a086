import { z } from 'zod';
import { PassThrough } from 'node:stream';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { PermanentError } from '../../worker/job-errors.ts';
import type { ExportFilter, ExportFormat, ExportKind } from '@switchboard/shared';
import type { ExportSpec } from './export-spec.ts';
import { runExport } from './export.service.ts';
import { accountTimeZone } from '../accounts/account-time-zone.ts';
import { defineJob } from '../../worker/define-job.ts';

export const EXPORT_JOB = 'export.run';
export const EXPORT_MAX_ATTEMPTS = 3;

const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 15_000;

export function exportStorageKey(row: Pick<Row<'exports'>, 'account_id' | 'id' | 'format'>): string {
  return `exports/${row.account_id}/${row.id}.${row.format}`;
}

export async function specOf(ctx: AppContext, row: Row<'exports'>): Promise<ExportSpec> {
  return {
    accountId: row.account_id,
    kind: row.kind as ExportKind,
    format: row.format as ExportFormat,
    filter: JSON.parse(row.filter) as ExportFilter,
    userId: row.user_id,
    teams: row.visible_teams === null ? undefined : (JSON.parse(row.visible_teams) as string[]),
    timeZone: await accountTimeZone(ctx, row.account_id),
  };
}

class LeaseLost extends Error {}

/**
 * A long export outlives the worker's lease; without renewing it another worker would start the same
 * export. Renewal is keyed on our lease token: if it was lost anyway, stop writing at once.
 * (The JobQueue port has no heartbeat yet; this is the one job that needs it.)
 */
async function renewLease(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const until = ctx.clock.now() + LEASE_MS;
  const r = await ctx.db.kysely
    .updateTable('jobs')
    .set({ run_at: until, locked_until: until, updated_at: ctx.clock.now() })
    .where('id', '=', job.id)
    .where('lease_token', '=', job.leaseToken)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new LeaseLost('export job lease lost; another worker owns it');
}

/** `export.run`: streams the file into the file store, recording progress; safe to run again. */
export const exportJob = defineJob(
  EXPORT_JOB,
  z.object({ exportId: z.string() }),
  async (ctx, { exportId }, job) => {
    const k = ctx.db.kysely;
    const row = await k.selectFrom('exports').selectAll().where('id', '=', exportId).executeTakeFirst();
    if (!row || row.status === 'done' || row.status === 'failed') return;
    await k
      .updateTable('exports')
      .set({ status: 'running', rows_done: 0, error: null, updated_at: ctx.clock.now() })
      .where('id', '=', row.id)
      .execute();
    const key = exportStorageKey(row);
    const pipe = new PassThrough();
    const stored = ctx.files.put(key, pipe);
    let renewedAt = ctx.clock.now();
    try {
      const rows = await runExport(ctx, await specOf(ctx, row), pipe, async ({ done, total }) => {
        await k
          .updateTable('exports')
          .set({ rows_done: done, rows_total: total, updated_at: ctx.clock.now() })
          .where('id', '=', row.id)
          .execute();
        if (ctx.clock.now() - renewedAt >= RENEW_EVERY_MS) {
          await renewLease(ctx, job);
          renewedAt = ctx.clock.now();
        }
      });
      const file = await stored;
      const now = ctx.clock.now();
      await k
        .updateTable('exports')
        .set({
          status: 'done',
          rows_done: rows,
          rows_total: rows,
          storage_key: file.key,
          size: file.size,
          finished_at: now,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .execute();
    } catch (err) {
      pipe.destroy(err as Error);
      await stored.catch(() => {});
      if (err instanceof LeaseLost) throw err;
      const permanent = err instanceof DomainError || err instanceof PermanentError;
      if (permanent || job.attempts >= job.maxAttempts) {
        await k
          .updateTable('exports')
          .set({ status: 'failed', error: (err as Error).message.slice(0, 500), updated_at: ctx.clock.now() })
          .where('id', '=', row.id)
          .execute();
        await ctx.files.delete(key).catch(() => {});
      }
      throw permanent ? new PermanentError((err as Error).message) : err;
    }
  },
);
