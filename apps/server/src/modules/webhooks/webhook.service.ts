import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { PublicEventType, WebhookDto, createWebhookBody, updateWebhookBody } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import type { Row, RowUpdate } from '../../infra/db/schema.ts';
import { checkUrl } from '../../infra/net/guarded-fetch.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export function toWebhookDto(r: Row<'webhooks'>): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as PublicEventType[],
    active: r.active === 1,
    pausedAt: r.paused_at,
    pauseReason:
      r.pause_reason && r.paused_at
        ? { code: r.pause_reason as 'failing_for_24h', message: r.pause_detail ?? '' }
        : null,
    lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Refuses a URL the SSRF guard would refuse, so the admin hears it now rather than in the delivery
 * log: not http(s), a private literal, or a name that resolves to a private address (ALLOW_PRIVATE_URLS
 * excepted). Deliveries go through the guard again, so a name re-pointed later is still refused then.
 */
export async function assertDeliverable(ctx: AppContext, raw: string): Promise<string> {
  const allow = ctx.config.allowPrivateUrls;
  let url: URL;
  try {
    url = checkUrl(raw, allow);
  } catch (err) {
    throw new DomainError('validation_error', `url: ${(err as Error).message}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!isIP(host)) {
    const addresses = await dns.lookup(host, { all: true }).catch(() => []);
    const bad = addresses.find((a) => !allow.permits(host, a.address));
    if (bad) throw new DomainError('validation_error', `url: ${host} resolves to a private address`);
  }
  return url.toString();
}

/** `botId`: the hidden endpoint of that bot (bots' endpoints are not the account's webhooks). */
export async function loadWebhook(
  ctx: AppContext,
  accountId: string,
  id: string,
  botId: string | null = null,
): Promise<Row<'webhooks'>> {
  const row = await ctx.db.kysely
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .$if(botId === null, (q) => q.where('bot_id', 'is', null))
    .$if(botId !== null, (q) => q.where('bot_id', '=', botId))
    .executeTakeFirst();
  if (!row) throw notFound('Webhook');
  return row;
}

export async function createWebhook(
  ctx: AppContext,
  p: Principal,
  body: z.infer<typeof createWebhookBody>,
  ip: string,
): Promise<{ row: Row<'webhooks'>; secret: string }> {
  const url = await assertDeliverable(ctx, body.url);
  const now = ctx.clock.now();
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomToken(32)}`;
  const row: Row<'webhooks'> = {
    id: newId(now),
    account_id: p.accountId,
    url,
    events: JSON.stringify([...new Set(body.events)]),
    active: body.active ? 1 : 0,
    secret: ctx.secrets.seal(secret),
    created_by: p.userId,
    paused_at: null,
    pause_reason: null,
    pause_detail: null,
    refused_in_a_row: 0,
    last_success_at: null,
    last_failure_at: null,
    created_at: now,
    updated_at: now,
    bot_id: null,
  };
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx.insertInto('webhooks').values(row).execute();
    await audit(ctx, tx, p, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: row.id,
      details: { url, events: JSON.parse(row.events) },
      ip,
    });
  });
  return { row, secret };
}

export async function updateWebhook(
  ctx: AppContext,
  p: Principal,
  id: string,
  body: z.infer<typeof updateWebhookBody>,
  ip: string,
): Promise<Row<'webhooks'>> {
  await loadWebhook(ctx, p.accountId, id);
  const patch: RowUpdate<'webhooks'> = { updated_at: ctx.clock.now() };
  if (body.url !== undefined) patch.url = await assertDeliverable(ctx, body.url);
  if (body.events !== undefined) patch.events = JSON.stringify([...new Set(body.events)]);
  if (body.active !== undefined) {
    patch.active = body.active ? 1 : 0;
    // Turning it on again is how an admin resumes an endpoint Switchboard paused.
    if (body.active)
      Object.assign(patch, { paused_at: null, pause_reason: null, pause_detail: null, refused_in_a_row: 0 });
  }
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx.updateTable('webhooks').set(patch).where('id', '=', id).execute();
    await audit(ctx, tx, p, {
      action: 'webhook.updated',
      targetType: 'webhook',
      targetId: id,
      details: body,
      ip,
    });
  });
  return loadWebhook(ctx, p.accountId, id);
}

export async function deleteWebhook(ctx: AppContext, p: Principal, id: string, ip: string): Promise<void> {
  const row = await loadWebhook(ctx, p.accountId, id);
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const deliveries = tx.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
    await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await tx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await tx.deleteFrom('webhooks').where('id', '=', id).execute();
    await audit(ctx, tx, p, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: id,
      details: { url: row.url },
      ip,
    });
  });
}
