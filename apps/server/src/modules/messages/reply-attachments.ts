import type { webAttachmentSchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Principal } from '../auth/principal.ts';
import type { InboundAttachment } from '../channels/channel-adapter.ts';
import { claimUploads } from '../media/upload.service.ts';
import { kindOfMime } from './content-kind.ts';
import { assertChannelCarries } from './outbound-media-check.ts';

export type ReplyFile = { uploadId: string } | z.infer<typeof webAttachmentSchema>;

/**
 * The files of an operator's message as attachments: uploads are claimed in the caller's transaction and
 * refused before anything is queued if the channel cannot carry them (a private note never reaches the
 * provider, so it keeps any file); links are kept as given.
 */
export async function replyAttachments(
  ctx: AppContext,
  tx: Tx,
  p: Pick<Principal, 'accountId' | 'userId'>,
  channelType: string,
  files: ReplyFile[],
  isPrivate: boolean,
): Promise<InboundAttachment[]> {
  const uploadIds = files.flatMap((a) => ('uploadId' in a ? [a.uploadId] : []));
  const uploads = await claimUploads(tx, p, uploadIds, ctx.clock.now());
  if (!isPrivate)
    assertChannelCarries(
      ctx,
      channelType,
      [...uploads.values()].map((u) => ({ name: u.name, mimeType: u.mime_type, size: u.size })),
    );
  return files.map((a) => {
    if (!('uploadId' in a))
      return { kind: kindOfMime(a.mimeType), url: a.url, name: a.name, mimeType: a.mimeType };
    // An upload's bytes are shared, not copied: the stored file is never changed or moved.
    const u = uploads.get(a.uploadId)!;
    return {
      kind: kindOfMime(u.mime_type),
      name: u.name ?? undefined,
      mimeType: u.mime_type,
      size: u.size,
      storageKey: u.storage_key,
      sha256: u.sha256,
    };
  });
}
