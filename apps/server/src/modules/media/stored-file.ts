import { buffer } from 'node:stream/consumers';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { PermanentError } from '../../worker/job-errors.ts';
import type { OutboundMessage } from '../channels/channel-adapter.ts';
import { signedFileLink } from './file-link.ts';

/** A stored file's bytes; a missing file is final (a retry cannot bring it back). */
export async function readStoredFile(ctx: AppContext, key: string): Promise<Buffer> {
  const stream = await ctx.files.get(key);
  if (!stream) {
    throw new PermanentError('The attached file is no longer in storage', 'attachment_unavailable');
  }
  return buffer(stream);
}

/**
 * One attachment as channel adapters get it. A stored file carries a reader for its bytes and, as its
 * `url`, a signed download link (for channels that only pass links on); a link attachment stays a link.
 */
export function outboundAttachment(
  ctx: AppContext,
  a: Row<'attachments'>,
): OutboundMessage['attachments'][number] {
  const key = a.storage_key;
  if (!key) return { name: a.name, mimeType: a.mime_type, url: a.source_url };
  const link = signedFileLink(ctx, a.id);
  return {
    name: a.name,
    mimeType: a.mime_type,
    url: link.url,
    stored: {
      attachmentId: a.id,
      linkExpiresAt: link.expiresAt,
      size: a.size ?? 0,
      sha256: a.sha256,
      read: () => readStoredFile(ctx, key),
    },
  };
}
