import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { OutboundButton } from '@switchboard/shared';
import type { OutboundTemplate } from '../channels/channel-adapter.ts';
import { textWithButtonList } from '../channels/button-fallback.ts';
import { adapterFor } from '../channels/channel-registry.ts';
import { recordSendHealth } from '../channels/channel-health.ts';
import { loadJobChannel } from '../channels/channel.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { outboundAttachment } from '../media/stored-file.ts';
import { emitMessageUpdated } from './message-store.ts';
import { dtoOf } from './message.dto.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { completeWithin } from '../../worker/complete-within.ts';
import {
  type SendPath,
  conversationWindow,
  recordRefusal,
  sendAllowed,
  sendRefusedError,
  tagFor,
} from '../routing/window/window-policy.ts';
import { recordProviderOptOut } from '../consent/consent.service.ts';
import { RecipientOptedOutError } from '../consent/opt-out-error.ts';
import { defineJob } from '../../worker/define-job.ts';

export const SEND_JOB = 'message.send';

/**
 * Delivers one queued outbound message through its channel. A message that is no longer queued was
 * already handled (a replayed job), so it is skipped. If the process dies between the provider accepting
 * and our commit, the job reruns and the message can be sent twice: providers offer no idempotency key,
 * and this window is kept to one UPDATE.
 */
export const sendMessageJob = defineJob(
  SEND_JOB,
  z.object({ messageId: z.string() }),
  async (ctx, { messageId }, job) => {
    const k = ctx.db.kysely;
    const msg = await k.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
    if (msg?.delivery_status !== 'queued') return;
    const { row: channelRow, runtime: channel } = await loadJobChannel(ctx, msg.channel_id);
    // The conversation and the customer's address on its channel in one read.
    const { external_id: externalId, ...conv } = await k
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', (j) =>
        j.onRef('i.contact_id', '=', 'c.contact_id').onRef('i.channel_id', '=', 'c.channel_id'),
      )
      .selectAll('c')
      .select('i.external_id')
      .where('c.id', '=', msg.conversation_id)
      .executeTakeFirstOrThrow();
    // The window may have closed, or the customer opted out, while the reply waited (a retry after an
    // outage): it must not go out then.
    const meta = JSON.parse(msg.meta) as {
      template?: OutboundTemplate;
      replyToMessageId?: string;
      broadcastId?: string;
      location?: { latitude: number; longitude: number };
      sharedContact?: { name: string; phone: string };
      buttons?: OutboundButton[];
      /** Where the channel has no buttons, the text alone goes: it already says how to answer (CSAT). */
      buttonsFallback?: 'list' | 'none';
    };
    const path: SendPath =
      msg.content_kind === 'template'
        ? 'template'
        : msg.author_kind === 'system'
          ? 'automatic'
          : meta.broadcastId
            ? 'broadcast'
            : 'reply';
    const window = await conversationWindow(k, conv, ctx.clock.now(), channelRow);
    if (!sendAllowed(window, path)) {
      await recordRefusal(ctx, k, conv, path, msg.author_id, window);
      const refusal = sendRefusedError(window);
      await markFailed(ctx, msg.id, conv.team_id, msg.account_id, refusal.code, refusal.message, job);
      return;
    }
    // In id order, as the message's DTO lists them (built from these below).
    const atts = await k
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', msg.id)
      .orderBy('id')
      .execute();
    const quoted = meta.replyToMessageId
      ? await k
          .selectFrom('messages')
          .select('provider_message_id')
          .where('id', '=', meta.replyToMessageId)
          .executeTakeFirst()
      : undefined;
    let providerMessageId: string | null;
    let partIds: string[] = [];
    const adapter = adapterFor(channel.type);
    const buttons = meta.buttons?.length ? meta.buttons : null;
    const drawn = buttons !== null && adapter.capabilities.features.buttons;
    const text =
      buttons && !drawn && meta.buttonsFallback !== 'none' ? textWithButtonList(msg.body, buttons) : msg.body;
    try {
      const r = await adapter.send(ctx, channel, {
        id: msg.id,
        conversationId: msg.conversation_id,
        text,
        createdAt: msg.created_at,
        contactExternalId: externalId,
        attachments: atts.map((a) => outboundAttachment(ctx, a)),
        template: meta.template ?? null,
        ...(msg.content_kind === 'location' && meta.location ? { location: meta.location } : {}),
        ...(msg.content_kind === 'contact' && meta.sharedContact
          ? { sharedContact: meta.sharedContact }
          : {}),
        replyToProviderMessageId: quoted?.provider_message_id ?? null,
        ...(drawn ? { buttons } : {}),
        tag: tagFor(window, path),
      });
      providerMessageId = r.providerMessageId;
      partIds = r.providerMessageIds ?? [];
    } catch (err) {
      const lastTry = job.attempts >= job.maxAttempts;
      if (err instanceof PermanentError || lastTry) {
        const code = err instanceof PermanentError ? err.code : 'delivery_failed';
        await markFailed(ctx, msg.id, conv.team_id, msg.account_id, code, (err as Error).message);
        await recordSendHealth(ctx, channelRow, { ok: false, code, message: (err as Error).message });
      }
      if (err instanceof RecipientOptedOutError) {
        await transact(ctx, (uow) =>
          recordProviderOptOut(ctx, uow, {
            channel: channelRow,
            contactId: conv.contact_id,
            conversation: conv,
            source: err.source,
          }),
        );
      }
      if (err instanceof PermanentError || err instanceof RetryableError) throw err;
      throw new RetryableError((err as Error).message);
    }
    await transact(ctx, async (uow) => {
      const now = ctx.clock.now();
      const sent = await uow.tx
        .updateTable('messages')
        .set({
          delivery_status: 'sent',
          provider_message_id: providerMessageId,
          // When the provider took it (an upper bound): receipts by watermark compare against it.
          provider_ts: now,
          // A message the provider split: receipts and echoes may name any part. One sent outside the
          // provider's free session (Viber) is billed by the provider: marked so.
          ...(partIds.length > 1 || window.session?.billable
            ? {
                meta: JSON.stringify({
                  ...meta,
                  ...(partIds.length > 1 ? { partIds } : {}),
                  ...(window.session?.billable ? { billable: true } : {}),
                }),
              }
            : {}),
          updated_at: now,
        })
        .where('id', '=', msg.id)
        .where('delivery_status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      // The row as this update left it and the files read above (an outbound message's files do not
      // change while it is queued): the event without reading both again. Not updated (already
      // settled elsewhere): the event carries the row as it reads now.
      if (sent) uow.emit(msg.account_id, 'message.updated', dtoOf(sent, atts), conv.team_id);
      else await emitMessageUpdated(uow, msg.account_id, msg.id, conv.team_id);
      await completeWithin(ctx, uow.tx, job);
    });
    await recordSendHealth(ctx, channelRow, { ok: true });
  },
);

async function markFailed(
  ctx: AppContext,
  id: string,
  teamId: string | null,
  accountId: string,
  code: string,
  message: string,
  /** Given when the job ends here (a refusal): it completes in the same transaction. */
  job?: ClaimedJob,
) {
  await transact(ctx, async (uow) => {
    await uow.tx
      .updateTable('messages')
      .set({
        delivery_status: 'failed',
        error_code: code,
        error_message: message.slice(0, 500),
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', id)
      .where('delivery_status', '=', 'queued')
      .execute();
    await emitMessageUpdated(uow, accountId, id, teamId);
    if (job) await completeWithin(ctx, uow.tx, job);
  });
}
