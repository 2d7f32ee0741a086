import { pruneWebhookDeliveries } from '../webhooks/webhook-retention.ts';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { RetentionConfig } from '../../config.ts';
import { cleanupUnusedWidgetUploads } from '../channels/widget/widget-uploads.service.ts';
import { cleanupUnusedUploads } from '../media/upload.service.ts';

/**
 * Rows per delete statement. Each batch is its own short statement (and transaction), so pruning a
 * large backlog never holds locks for long or blocks the writers that share those tables.
 */
export const RETENTION_BATCH = 1000;

export interface RetentionReport {
  unusedUploads: number;
  unusedWidgetUploads: number;
  doneJobs: number;
  deadJobs: number;
  inboundEvents: number;
  accountEvents: number;
  webhookDeliveries: number;
}

/**
 * One pass of the retention policy (README "Data retention and privacy"): unsent uploads with their
 * bytes, finished and dead jobs, processed raw inbound events and account events beyond the replay
 * horizon. Unprocessed inbound events are never touched (their processing still needs them), nor dead
 * ones until an admin resolved them. Safe to run twice or on several nodes at once: every step deletes only rows that
 * match its condition at that moment.
 */
export async function runRetention(
  ctx: AppContext,
  cfg: RetentionConfig = ctx.config.retention,
  batch = RETENTION_BATCH,
): Promise<RetentionReport> {
  const now = ctx.clock.now();
  const k = ctx.db.kysely;
  const report: RetentionReport = {
    unusedUploads: 0,
    unusedWidgetUploads: 0,
    doneJobs: 0,
    deadJobs: 0,
    inboundEvents: 0,
    accountEvents: 0,
    webhookDeliveries: 0,
  };

  for (;;) {
    const n = await cleanupUnusedUploads(ctx, { olderThanMs: cfg.unusedUploadsMs, limit: batch });
    report.unusedUploads += n;
    if (n < batch) break;
  }
  report.unusedWidgetUploads = await cleanupUnusedWidgetUploads(ctx, cfg.unusedUploadsMs, batch);

  const byIds = async (
    table: 'jobs' | 'inbound_events',
    pick: () => Promise<{ id: string }[]>,
  ): Promise<number> => {
    let total = 0;
    for (;;) {
      const ids = (await pick()).map((r) => r.id);
      if (ids.length > 0) {
        const r = await k.deleteFrom(table).where('id', 'in', ids).executeTakeFirst();
        total += Number(r.numDeletedRows);
      }
      if (ids.length < batch) return total;
    }
  };
  const oldJobs = (status: 'done' | 'dead', olderThanMs: number) => () =>
    k
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', status)
      .where('updated_at', '<', now - olderThanMs)
      .limit(batch)
      .execute();
  report.doneJobs = await byIds('jobs', oldJobs('done', cfg.doneJobsMs));
  report.deadJobs = await byIds('jobs', oldJobs('dead', cfg.deadJobsMs));
  report.inboundEvents = await byIds('inbound_events', () =>
    k
      .selectFrom('inbound_events')
      .select('id')
      .where('received_at', '<', now - cfg.inboundEventsMs)
      // Processed, or dead and discarded by an admin (resolved) that long ago; a dead event nobody
      // resolved yet stays, however old.
      .where((eb) =>
        eb.or([eb('processed_at', 'is not', null), eb('discarded_at', '<', now - cfg.inboundEventsMs)]),
      )
      .limit(batch)
      .execute(),
  );
  report.accountEvents = await pruneAccountEvents(ctx, cfg, now, batch);
  report.webhookDeliveries = await pruneWebhookDeliveries(ctx, cfg.webhookDeliveriesMs, batch);
  return report;
}

/**
 * The replay horizon: each account keeps its newest `accountEventsKeep` events and every event younger
 * than `accountEventsMs`, so a console that was away for less than that catches up by replay; one that
 * asks for older events is told `replay_too_old` and reloads (see the socket gateway).
 */
async function pruneAccountEvents(
  ctx: AppContext,
  cfg: RetentionConfig,
  now: number,
  batch: number,
): Promise<number> {
  const k = ctx.db.kysely;
  const accounts = await k.selectFrom('accounts').select(['id', 'event_seq']).execute();
  let total = 0;
  for (const a of accounts) {
    const keepFrom = a.event_seq - cfg.accountEventsKeep;
    if (keepFrom <= 0) continue;
    // The newest prunable event; everything up to it goes, so what stays is always a contiguous tail and
    // a replay is either complete or refused, never silently missing events in the middle.
    const horizon = await k
      .selectFrom('account_events')
      .select(sql<number | null>`max(seq)`.as('seq'))
      .where('account_id', '=', a.id)
      .where('seq', '<=', keepFrom)
      .where('created_at', '<', now - cfg.accountEventsMs)
      .executeTakeFirst();
    const upTo = horizon?.seq == null ? null : Number(horizon.seq);
    if (upTo === null) continue;
    for (;;) {
      const rows = await k
        .selectFrom('account_events')
        .select('seq')
        .where('account_id', '=', a.id)
        .where('seq', '<=', upTo)
        .orderBy('seq')
        .limit(batch)
        .execute();
      const last = rows[rows.length - 1];
      if (!last) break;
      const r = await k
        .deleteFrom('account_events')
        .where('account_id', '=', a.id)
        .where('seq', '<=', last.seq)
        .executeTakeFirst();
      total += Number(r.numDeletedRows);
      if (rows.length < batch) break;
    }
  }
  return total;
}
