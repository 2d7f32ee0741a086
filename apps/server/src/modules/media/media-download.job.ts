import { z } from 'zod';
import { createHash } from 'node:crypto';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { adapterFor } from '../channels/channel-registry.ts';
import { loadJobChannel } from '../channels/channel.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { emitMessageUpdated } from '../messages/message-store.ts';
import { MEDIA_DOWNLOAD_JOB } from './media-intake.ts';
import { safeDownload } from './safe-download.ts';
import { sniffMime } from './sniff.ts';
import { defineJob } from '../../worker/define-job.ts';

/**
 * Downloads one provider-held file into storage: size-limited, type sniffed from the bytes, SHA-256
 * kept. Safe to run twice: a stored attachment is skipped, and the file key is the attachment's id.
 */
export const mediaDownloadJob = defineJob(
  MEDIA_DOWNLOAD_JOB,
  z.object({ attachmentId: z.string() }),
  async (ctx, { attachmentId }, job) => {
    const k = ctx.db.kysely;
    const att = await k
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!att?.provider_ref || att.storage_key !== null || att.download_status === 'failed') return;
    const msg = await k
      .selectFrom('messages')
      .select(['channel_id', 'conversation_id'])
      .where('id', '=', att.message_id)
      .executeTakeFirst();
    // The contact was erased since the attachment was read: nothing to download for.
    if (!msg) return;
    const { runtime: channel } = await loadJobChannel(ctx, msg.channel_id);
    const max = ctx.config.mediaMaxBytes;
    try {
      const adapter = adapterFor(channel.type);
      if (!adapter.resolveMedia) {
        throw new PermanentError(`${channel.type} channels cannot download media`, 'unsupported');
      }
      const src = await adapter.resolveMedia(ctx, channel, att.provider_ref);
      if (src.size !== undefined && src.size > max) {
        throw new PermanentError(
          `The file (${src.size} bytes) is larger than the ${max}-byte limit (MEDIA_MAX_BYTES)`,
          'too_large',
        );
      }
      const dl = await safeDownload(src.url, {
        headers: src.headers,
        maxBytes: max,
        allow: ctx.config.allowPrivateUrls,
      });
      const mime = sniffMime(dl.bytes, att.mime_type);
      const sha256 = createHash('sha256').update(dl.bytes).digest('hex');
      const key = `media/${att.account_id}/${att.id}`;
      await ctx.files.put(key, dl.bytes);
      const stored = await transact(ctx, async (uow) => {
        const r = await uow.tx
          .updateTable('attachments')
          .set({
            storage_key: key,
            sha256,
            mime_type: mime,
            size: dl.bytes.length,
            name: att.name ?? src.name ?? null,
            download_status: 'stored',
            download_error: null,
          })
          .where('id', '=', att.id)
          .where('storage_key', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        const conv = await uow.tx
          .selectFrom('conversations')
          .select('team_id')
          .where('id', '=', msg.conversation_id)
          .executeTakeFirstOrThrow();
        await emitMessageUpdated(uow, att.account_id, att.message_id, conv.team_id);
        return true;
      });
      // Erased while downloading (a privacy erasure): the bytes must not stay behind. (Not updated because
      // another run stored it first keeps the file: that run wrote the same key.)
      if (!stored) {
        const still = await k
          .selectFrom('attachments')
          .select('id')
          .where('id', '=', att.id)
          .executeTakeFirst();
        if (!still) await ctx.files.delete(key);
      }
    } catch (err) {
      const final = err instanceof PermanentError || job.attempts >= job.maxAttempts;
      if (final) {
        await k
          .updateTable('attachments')
          .set({ download_status: 'failed', download_error: (err as Error).message.slice(0, 500) })
          .where('id', '=', att.id)
          .where('storage_key', 'is', null)
          .execute();
      }
      if (err instanceof PermanentError || err instanceof RetryableError) throw err;
      throw new RetryableError((err as Error).message);
    }
  },
);
