import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Tx } from '../../../infra/db/database.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import type { WidgetSettings } from './widget-settings.ts';

const DAY_MS = 24 * 3_600_000;

/** The limits that apply to one widget channel: its own settings, else the instance defaults. */
export interface WidgetUploadQuota {
  channelBytes: number;
  ipDailyBytes: number;
  ipDailyFiles: number;
}

export function uploadQuotaOf(ctx: AppContext, s: WidgetSettings): WidgetUploadQuota {
  const d = ctx.config.widgetUploads;
  return {
    channelBytes: s.uploadQuotaBytes ?? d.channelQuotaBytes,
    ipDailyBytes: s.uploadIpDailyBytes ?? d.ipDailyBytes,
    ipDailyFiles: s.uploadIpDailyFiles ?? d.ipDailyFiles,
  };
}

/**
 * The client address as stored: an HMAC under a key derived from the installation secret. Enough to
 * count one address's uploads, useless for finding out who it was.
 */
export function ipHash(secret: string, ip: string): string {
  const key = createHmac('sha256', secret).update('switchboard/widget/upload-ip/v1').digest();
  return createHmac('sha256', key).update(ip).digest('base64url');
}

/**
 * Refuses an upload that would take this address over its daily allowance on the channel (429
 * `upload_ip_quota_exceeded`) or the channel's visitor files over its storage quota (413
 * `upload_channel_quota_exceeded`). A fresh anonymous visitor costs nothing, so these — not the
 * per-visitor rate limit — are what bound a flood. Checked before the bytes are stored; two uploads
 * racing past the check can overshoot by one file each, which a quota of this kind tolerates.
 */
export async function assertUploadQuota(
  ctx: AppContext,
  channelId: string,
  quota: WidgetUploadQuota,
  ip: string,
  size: number,
): Promise<void> {
  const k = ctx.db.kysely;
  const now = ctx.clock.now();
  const day = await k
    .selectFrom('widget_uploads')
    .select([sql<number>`count(*)`.as('files'), sql<number | null>`sum(size)`.as('bytes')])
    .where('channel_id', '=', channelId)
    .where('ip_hash', '=', ip)
    .where('created_at', '>', now - DAY_MS)
    .executeTakeFirst();
  const files = Number(day?.files ?? 0);
  const bytes = Number(day?.bytes ?? 0);
  if (files + 1 > quota.ipDailyFiles || bytes + size > quota.ipDailyBytes) {
    const oldest = await k
      .selectFrom('widget_uploads')
      .select('created_at')
      .where('channel_id', '=', channelId)
      .where('ip_hash', '=', ip)
      .where('created_at', '>', now - DAY_MS)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    const retryAfterSeconds = Math.max(1, Math.ceil(((oldest?.created_at ?? now) + DAY_MS - now) / 1000));
    throw new DomainError(
      'upload_ip_quota_exceeded',
      'Too many files were sent from this address today; try again later',
      { maxFiles: quota.ipDailyFiles, maxBytes: quota.ipDailyBytes, retryAfterSeconds },
    );
  }
  const stored = await k
    .selectFrom('widget_uploads')
    .select(sql<number | null>`sum(size)`.as('bytes'))
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (Number(stored?.bytes ?? 0) + size > quota.channelBytes) {
    throw new DomainError('upload_channel_quota_exceeded', 'This chat cannot take more files right now', {
      quotaBytes: quota.channelBytes,
    });
  }
}

/** Records a stored visitor file; its id goes into the upload receipt. */
export async function recordUpload(
  ctx: AppContext,
  u: { accountId: string; channelId: string; visitorId: string; ipHash: string; size: number; key: string },
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.db.kysely
    .insertInto('widget_uploads')
    .values({
      id,
      account_id: u.accountId,
      channel_id: u.channelId,
      visitor_id: u.visitorId,
      ip_hash: u.ipHash,
      size: u.size,
      storage_key: u.key,
      created_at: now,
      used_at: null,
    })
    .execute();
  return id;
}

/**
 * Marks a visitor's uploads used by a message, in the caller's transaction (an UPDATE: the cleanup,
 * which deletes the row first, can then no longer take the file). An upload already cleaned up as
 * unused, or another visitor's, is refused.
 */
export async function claimVisitorUploads(
  tx: Tx,
  channelId: string,
  visitorId: string,
  ids: string[],
  now: number,
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  await tx
    .updateTable('widget_uploads')
    .set({ used_at: now })
    .where('channel_id', '=', channelId)
    .where('visitor_id', '=', visitorId)
    .where('id', 'in', unique)
    .where('used_at', 'is', null)
    .execute();
  const found = await tx
    .selectFrom('widget_uploads')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('visitor_id', '=', visitorId)
    .where('id', 'in', unique)
    .execute();
  if (found.length !== unique.length) {
    throw new DomainError('validation_error', 'attachments: this upload has expired; attach the file again');
  }
}

/**
 * Deletes visitor uploads no message carried, older than `olderThanMs`, and their bytes (row first, like
 * operator uploads). Batched, so a big backlog never holds a long lock. Returns how many went.
 */
export async function cleanupUnusedWidgetUploads(
  ctx: AppContext,
  olderThanMs: number,
  batch = 500,
): Promise<number> {
  const k = ctx.db.kysely;
  const before = ctx.clock.now() - olderThanMs;
  let removed = 0;
  for (;;) {
    const stale = await k
      .selectFrom('widget_uploads')
      .select(['id', 'storage_key'])
      .where('used_at', 'is', null)
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(batch)
      .execute();
    for (const u of stale) {
      const r = await k
        .deleteFrom('widget_uploads')
        .where('id', '=', u.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) continue;
      await ctx.files.delete(u.storage_key);
      removed++;
    }
    if (stale.length < batch) return removed;
  }
}
