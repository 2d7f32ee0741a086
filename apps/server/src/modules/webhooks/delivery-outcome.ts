import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { AttemptRecord, AttemptResult } from './deliver-webhook.job.ts';

/** Deliveries refused in a row (4xx other than 429) after which an endpoint is paused. */
export const PAUSE_AFTER_REFUSALS = 10;

/**
 * Writes an attempt and what it means for the delivery and its endpoint, in one transaction. An
 * endpoint is paused (active off, reason shown to the admin) when one delivery kept failing for its
 * whole 24-hour window, or when PAUSE_AFTER_REFUSALS deliveries in a row were refused.
 */
export async function recordOutcome(
  ctx: AppContext,
  d: Row<'webhook_deliveries'>,
  attempt: AttemptRecord | null,
  result: AttemptResult,
): Promise<'delivered' | 'retry' | 'failed'> {
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (tx) => {
    if (attempt) {
      await tx
        .insertInto('webhook_attempts')
        .values({
          id: attempt.id,
          delivery_id: d.id,
          at: attempt.at,
          duration_ms: attempt.durationMs,
          status_code: result.statusCode,
          error: result.kind === 'delivered' ? null : result.error,
          request_headers: JSON.stringify(attempt.headers),
        })
        .execute();
    }
    const common = {
      attempts: attempt ? sql<number>`attempts + 1` : sql<number>`attempts`,
      last_status_code: result.statusCode,
      last_error: result.kind === 'delivered' ? null : result.error,
      last_duration_ms: attempt?.durationMs ?? d.last_duration_ms,
      updated_at: now,
    };
    if (result.kind === 'delivered') {
      await setDelivery(tx, d.id, {
        ...common,
        status: 'delivered',
        delivered_at: now,
        next_attempt_at: null,
      });
      await tx
        .updateTable('webhooks')
        .set({ last_success_at: now, refused_in_a_row: 0 })
        .where('id', '=', d.webhook_id)
        .execute();
      return 'delivered';
    }
    if (attempt)
      await tx.updateTable('webhooks').set({ last_failure_at: now }).where('id', '=', d.webhook_id).execute();
    if (result.kind === 'retryable' && now < d.retry_until) {
      await setDelivery(tx, d.id, { ...common, status: 'retrying' });
      return 'retry';
    }
    await setDelivery(tx, d.id, { ...common, status: 'failed', next_attempt_at: null });
    if (!attempt) return 'failed';
    if (result.kind === 'retryable') {
      await pause(
        tx,
        d.webhook_id,
        now,
        'failing_for_24h',
        `a delivery failed for 24 hours; last: ${result.error}`,
      );
      return 'failed';
    }
    const hook = await tx
      .updateTable('webhooks')
      .set({ refused_in_a_row: sql<number>`refused_in_a_row + 1` })
      .where('id', '=', d.webhook_id)
      .returning('refused_in_a_row')
      .executeTakeFirst();
    if (hook && hook.refused_in_a_row >= PAUSE_AFTER_REFUSALS)
      await pause(
        tx,
        d.webhook_id,
        now,
        'refused_repeatedly',
        `${hook.refused_in_a_row} deliveries in a row were refused; last: ${result.error}`,
      );
    return 'failed';
  });
}

async function setDelivery(tx: Tx, id: string, set: Record<string, unknown>): Promise<void> {
  await tx.updateTable('webhook_deliveries').set(set).where('id', '=', id).execute();
}

async function pause(tx: Tx, webhookId: string, now: number, reason: string, detail: string): Promise<void> {
  await tx
    .updateTable('webhooks')
    .set({ active: 0, paused_at: now, pause_reason: reason, pause_detail: detail, updated_at: now })
    .where('id', '=', webhookId)
    .where('active', '=', 1)
    .execute();
}
