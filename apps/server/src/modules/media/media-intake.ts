import { newId } from '../../infra/crypto/ids.ts';
import type { InboundAttachment } from '../channels/channel-adapter.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';

export const MEDIA_DOWNLOAD_JOB = 'media.download';

/**
 * Records a customer message's attachments. Files the provider holds (a providerRef) get a download job
 * in the same transaction, so a committed message never loses its media to a crash.
 */
export async function insertInboundAttachments(
  uow: UnitOfWork,
  accountId: string,
  messageId: string,
  attachments: InboundAttachment[],
  now: number,
): Promise<void> {
  for (const a of attachments) {
    const id = newId(now);
    const stored = a.storageKey !== undefined;
    const pending = !stored && a.providerRef !== undefined;
    await uow.tx
      .insertInto('attachments')
      .values({
        id,
        account_id: accountId,
        message_id: messageId,
        kind: a.kind,
        name: a.name ?? null,
        mime_type: a.mimeType ?? null,
        size: a.size ?? null,
        storage_key: a.storageKey ?? null,
        source_url: a.url ?? null,
        provider_ref: a.providerRef ?? null,
        sha256: a.sha256 ?? null,
        download_status: stored ? 'stored' : pending ? 'pending' : null,
        download_error: null,
        created_at: now,
      })
      .execute();
    if (pending) await uow.enqueue({ type: MEDIA_DOWNLOAD_JOB, payload: { attachmentId: id }, accountId });
  }
}
