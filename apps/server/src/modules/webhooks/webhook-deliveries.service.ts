import type {
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryStatus,
} from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { conflict, notFound } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import type { Principal } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from './deliver-webhook.job.ts';
import { RETRY_WINDOW_MS } from './webhook.listener.ts';
import { loadWebhook } from './webhook.service.ts';

function toDeliveryDto(r: Row<'webhook_deliveries'>): WebhookDeliveryDto {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status as WebhookDeliveryStatus,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastDurationMs: r.last_duration_ms,
    nextAttemptAt: r.status === 'pending' || r.status === 'retrying' ? r.next_attempt_at : null,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export async function listDeliveries(
  ctx: AppContext,
  accountId: string,
  webhookId: string,
  page: { limit: number; cursor?: string },
  botId: string | null = null,
): Promise<{ items: WebhookDeliveryDto[]; nextCursor: string | null }> {
  await loadWebhook(ctx, accountId, webhookId, botId);
  const after = decodeCursor(page.cursor);
  const rows = await ctx.db.kysely
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .$if(after?.length === 2, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', Number(after![0])),
          eb.and([eb('created_at', '=', Number(after![0])), eb('id', '<', String(after![1]))]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toDeliveryDto),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

async function loadDelivery(
  ctx: AppContext,
  accountId: string,
  webhookId: string,
  deliveryId: string,
): Promise<Row<'webhook_deliveries'>> {
  const row = await ctx.db.kysely
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Delivery');
  return row;
}

export async function deliveryDetail(
  ctx: AppContext,
  accountId: string,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryDetailDto> {
  const row = await loadDelivery(ctx, accountId, webhookId, deliveryId);
  const attempts = await ctx.db.kysely
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', row.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return {
    ...toDeliveryDto(row),
    requestBody: row.body,
    history: attempts.map((a) => ({
      at: a.at,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      requestHeaders: JSON.parse(a.request_headers) as Record<string, string>,
    })),
  };
}

/**
 * Sends a settled delivery again with the same id and body (a receiver that de-duplicates by
 * X-Switchboard-Delivery and already has it acknowledges it again). It waits behind the endpoint's
 * other deliveries for the same conversation, like the original did.
 */
export async function redeliver(
  ctx: AppContext,
  p: Principal,
  webhookId: string,
  deliveryId: string,
  ip: string,
): Promise<WebhookDeliveryDto> {
  const hook = await loadWebhook(ctx, p.accountId, webhookId);
  if (hook.active !== 1) throw conflict('The endpoint is turned off or paused: turn it on first');
  await loadDelivery(ctx, p.accountId, webhookId, deliveryId);
  return transact(ctx, async (uow) => {
    const now = ctx.clock.now();
    // Conditional on being settled, so two clicks (or a click during a retry) never make two jobs.
    const row = await uow.tx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now, retry_until: now + RETRY_WINDOW_MS, updated_at: now })
      .where('id', '=', deliveryId)
      .where('status', 'in', ['delivered', 'failed'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('This delivery is still being tried');
    const payload: WebhookDeliverJob = { deliveryId };
    await uow.enqueue({
      type: WEBHOOK_DELIVER_JOB,
      payload,
      accountId: p.accountId,
      orderKey: row.order_key ?? undefined,
      maxAttempts: 200,
    });
    await audit(ctx, uow.tx, p, {
      action: 'webhook.redelivered',
      targetType: 'webhook',
      targetId: webhookId,
      details: { deliveryId, eventType: row.event_type },
      ip,
    });
    return toDeliveryDto(row);
  });
}
