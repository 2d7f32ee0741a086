import { createHash } from 'node:crypto';
import type { UploadDto } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import { kindOfMime } from '../messages/content-kind.ts';
import { sniffMime } from './sniff.ts';

/** At most this many stale uploads are removed per new upload: the cleanup never delays one noticeably. */
const CLEANUP_BATCH = 20;

export type { UploadDto };

export function toUploadDto(u: Row<'uploads'>): UploadDto {
  return {
    id: u.id,
    fileName: u.name,
    mimeType: u.mime_type,
    size: u.size,
    kind: kindOfMime(u.mime_type),
    sha256: u.sha256,
  };
}

/** A file name as shown to people: the last path segment, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined | null): string | null {
  if (!raw) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const base = (raw.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base === '' ? null : base.slice(0, 200);
}

/**
 * Stores one operator upload: refused when empty or of a type no channel can carry (unknown binary);
 * the type is sniffed from the bytes, the SHA-256 kept. Stale unused uploads of the account go first.
 */
export async function storeUpload(
  ctx: AppContext,
  p: Principal,
  file: { bytes: Buffer; declaredType?: string; fileName?: string },
): Promise<Row<'uploads'>> {
  if (file.bytes.length === 0) throw new DomainError('validation_error', 'The file is empty');
  const mime = sniffMime(file.bytes, file.declaredType);
  if (mime === 'application/octet-stream' || mime === 'application/x-ole-storage') {
    throw new DomainError(
      'unsupported_media_type',
      'This type of file cannot be sent: use images, video, audio, PDF, office documents, archives or text',
    );
  }
  await cleanupUnusedUploads(ctx, { accountId: p.accountId, limit: CLEANUP_BATCH }).catch((err) => {
    ctx.log.warn({ err }, 'cleaning up unused uploads failed');
  });
  const now = ctx.clock.now();
  const id = newId(now);
  const key = `uploads/${p.accountId}/${id}`;
  await ctx.files.put(key, file.bytes);
  const row: Row<'uploads'> = {
    id,
    account_id: p.accountId,
    user_id: p.userId,
    name: cleanFileName(file.fileName),
    mime_type: mime,
    size: file.bytes.length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    storage_key: key,
    created_at: now,
    used_at: null,
  };
  try {
    await ctx.db.kysely.insertInto('uploads').values(row).execute();
  } catch (err) {
    await ctx.files.delete(key).catch(() => {});
    throw err;
  }
  return row;
}

/**
 * The uploads a message refers to, marked used in the caller's transaction. Marking first (an UPDATE,
 * which locks the rows) means a concurrent cleanup can no longer delete them. Only the user who uploaded
 * a file may attach it: a colleague's upload, another account's and an unknown id are refused alike, so
 * ids cannot be probed.
 */
export async function claimUploads(
  tx: Tx,
  owner: Pick<Principal, 'accountId' | 'userId'>,
  ids: string[],
  now: number,
): Promise<Map<string, Row<'uploads'>>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  await tx
    .updateTable('uploads')
    .set({ used_at: now })
    .where('account_id', '=', owner.accountId)
    .where('user_id', '=', owner.userId)
    .where('id', 'in', unique)
    .where('used_at', 'is', null)
    .execute();
  const rows = await tx
    .selectFrom('uploads')
    .selectAll()
    .where('account_id', '=', owner.accountId)
    .where('user_id', '=', owner.userId)
    .where('id', 'in', unique)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new DomainError('validation_error', `attachments: unknown upload ${missing.join(', ')}`, {
      uploadIds: missing,
    });
  }
  return byId;
}

/**
 * Deletes uploads no message used, older than the TTL (UPLOAD_UNUSED_TTL_HOURS), and their stored bytes (row first: once it is
 * gone no reply can claim it, so the file is never pulled from under a message). Returns how many.
 */
export async function cleanupUnusedUploads(
  ctx: AppContext,
  opts: { accountId?: string; olderThanMs?: number; limit?: number } = {},
): Promise<number> {
  const k = ctx.db.kysely;
  const before = ctx.clock.now() - (opts.olderThanMs ?? ctx.config.retention.unusedUploadsMs);
  const stale = await k
    .selectFrom('uploads')
    .select(['id', 'storage_key'])
    .where('used_at', 'is', null)
    .where('created_at', '<', before)
    .$if(opts.accountId !== undefined, (q) => q.where('account_id', '=', opts.accountId!))
    .orderBy('created_at')
    .limit(opts.limit ?? 500)
    .execute();
  let removed = 0;
  for (const u of stale) {
    const r = await k
      .deleteFrom('uploads')
      .where('id', '=', u.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) continue;
    await ctx.files.delete(u.storage_key);
    removed++;
  }
  return removed;
}
