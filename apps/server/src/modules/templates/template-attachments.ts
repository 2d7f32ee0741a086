import { buffer } from 'node:stream/consumers';
import { TEMPLATE_MAX_ATTACHMENTS, type TemplateAttachmentDto, type UploadDto } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import { storeUpload, toUploadDto } from '../media/upload.service.ts';
import { kindOfMime } from '../messages/content-kind.ts';

export function toTemplateAttachmentDto(a: Row<'template_attachments'>): TemplateAttachmentDto {
  return { id: a.id, fileName: a.name, mimeType: a.mime_type, size: a.size, kind: kindOfMime(a.mime_type) };
}

/** The files of these templates, oldest first, by template id. */
export async function attachmentsOf(
  k: Tx,
  templateIds: string[],
): Promise<Map<string, Row<'template_attachments'>[]>> {
  const out = new Map<string, Row<'template_attachments'>[]>();
  if (templateIds.length === 0) return out;
  // Chunked: a long list must stay under the databases' bound-parameter limits.
  for (let i = 0; i < templateIds.length; i += 500) {
    const rows = await k
      .selectFrom('template_attachments')
      .selectAll()
      .where('template_id', 'in', templateIds.slice(i, i + 500))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.template_id, [...(out.get(r.template_id) ?? []), r]);
  }
  return out;
}

/**
 * Makes one of the caller's unused uploads a file of the template. The upload row is deleted in the same
 * transaction (only while still unused, so a reply cannot claim it at the same time): its bytes now belong
 * to the template alone and the unused-upload cleanup cannot take them.
 */
export async function attachUpload(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  template: Row<'templates'>,
  uploadId: string,
): Promise<Row<'template_attachments'>> {
  const count = await tx
    .selectFrom('template_attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('template_id', '=', template.id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= TEMPLATE_MAX_ATTACHMENTS)
    throw new DomainError(
      'validation_error',
      `attachments: at most ${TEMPLATE_MAX_ATTACHMENTS} files per template`,
    );
  const upload = await tx
    .selectFrom('uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .where('account_id', '=', p.accountId)
    .where('user_id', '=', p.userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  const taken = upload
    ? await tx
        .deleteFrom('uploads')
        .where('id', '=', upload.id)
        .where('used_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  // A colleague's, another account's, a sent and an unknown upload are refused alike: ids cannot be probed.
  if (!upload || Number(taken?.numDeletedRows ?? 0) === 0)
    throw new DomainError('validation_error', `uploadId: unknown upload ${uploadId}`);
  const row: Row<'template_attachments'> = {
    id: newId(ctx.clock.now()),
    account_id: p.accountId,
    template_id: template.id,
    name: upload.name,
    mime_type: upload.mime_type,
    size: upload.size,
    sha256: upload.sha256,
    storage_key: upload.storage_key,
    created_at: ctx.clock.now(),
  };
  await tx.insertInto('template_attachments').values(row).execute();
  return row;
}

/** Removes files of a template (all of them without ids): rows in the caller's transaction, bytes after. */
export async function detachFiles(tx: Tx, templateId: string, attachmentId?: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('template_attachments')
    .select(['id', 'storage_key'])
    .where('template_id', '=', templateId)
    .$if(attachmentId !== undefined, (q) => q.where('id', '=', attachmentId!))
    .execute();
  if (attachmentId !== undefined && rows.length === 0) throw notFound('Attachment');
  if (rows.length)
    await tx
      .deleteFrom('template_attachments')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows.map((r) => r.storage_key);
}

/** Deletes stored bytes whose rows are gone; a failure only leaves an orphan file, so it is logged. */
export async function deleteStoredFiles(ctx: AppContext, keys: string[]): Promise<void> {
  for (const key of keys) {
    await ctx.files.delete(key).catch((err) => ctx.log.warn({ err, key }, 'deleting a template file failed'));
  }
}

/**
 * The template's files as fresh uploads of the caller, for the reply being written. Copies, not shared
 * bytes: the template may later drop a file that a sent message still shows.
 */
export async function copyToUploads(
  ctx: AppContext,
  p: Principal,
  files: Row<'template_attachments'>[],
): Promise<UploadDto[]> {
  const out: UploadDto[] = [];
  for (const f of files) {
    const stream = await ctx.files.get(f.storage_key);
    if (!stream) {
      ctx.log.warn(
        { key: f.storage_key, template: f.template_id },
        'a template file is missing from the store',
      );
      continue;
    }
    const bytes = await buffer(stream);
    out.push(
      toUploadDto(
        await storeUpload(ctx, p, { bytes, declaredType: f.mime_type, fileName: f.name ?? undefined }),
      ),
    );
  }
  return out;
}
