import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { InboundEvent } from '../channels/channel-adapter.ts';
import { newConversationRow } from '../conversations/new-conversation.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertInboundAttachments } from '../media/media-intake.ts';
import { deliveryAdvances, previewOf } from '../messages/message.dto.ts';
import { emitMessageCreated, emitMessageUpdated, insertMessage } from '../messages/message-store.ts';
import { UnknownMessageStatus, upsertIdentity } from './inbound.service.ts';

/** The message stored under this provider id: the first part's id, or any later part's of ours. */
export async function findOutbound(tx: Tx, channelId: string, providerMessageId: string) {
  const direct = await tx
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
  if (direct) return direct;
  // Later parts of a split message are listed in meta.partIds (rare: long texts, several files).
  return tx
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('direction', '=', 'out')
    .where('meta', 'like', `%"partIds":[%${JSON.stringify(providerMessageId)}%`)
    .executeTakeFirst();
}

/**
 * A receipt by watermark (Messenger `delivery`/`read`) or through one message (Instagram `read.mid`):
 * every outbound message to this contact on this channel sent up to that point moves forward.
 * Statuses only ever advance, so a late or repeated receipt changes nothing.
 */
export async function applyReceipt(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: Extract<InboundEvent, { kind: 'receipt' }>,
): Promise<void> {
  const tx = uow.tx;
  const identity = await tx
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('channel_id', '=', channel.id)
    .where('external_id', '=', e.contactExternalId)
    .executeTakeFirst();
  if (!identity) return;
  let upTo = e.upTo;
  if (e.throughProviderMessageId) {
    const through = await findOutbound(tx, channel.id, e.throughProviderMessageId);
    // The read can overtake our own commit of the message id: wait for the send job.
    if (!through && upTo === null) throw new UnknownMessageStatus(e.throughProviderMessageId);
    if (through) upTo = Math.max(upTo ?? 0, through.provider_ts ?? through.created_at);
  }
  if (upTo === null) return;
  const rows = await tx
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['messages.id', 'messages.delivery_status', 'conversations.team_id'])
    .where('messages.channel_id', '=', channel.id)
    .where('conversations.contact_id', '=', identity.contact_id)
    .where('messages.direction', '=', 'out')
    .where('messages.private', '=', 0)
    .where('messages.delivery_status', 'in', ['sent', 'delivered'])
    // When the provider took the message: its own time when an echo told us, else when we sent it.
    .where(sql<boolean>`coalesce(messages.provider_ts, messages.created_at) <= ${upTo}`)
    .orderBy('messages.created_at')
    .limit(1000)
    .execute();
  const now = ctx.clock.now();
  for (const r of rows) {
    if (!deliveryAdvances(r.delivery_status, e.status)) continue;
    await tx
      .updateTable('messages')
      .set({ delivery_status: e.status, updated_at: now })
      .where('id', '=', r.id)
      .execute();
    await emitMessageUpdated(uow, channel.account_id, r.id, r.team_id);
  }
}

/**
 * A copy of a message the business sent. Ours (by the marker our send put on it, or by provider id)
 * only learns the provider's own timestamp, which receipts by watermark compare against. Anything else
 * was written outside Switchboard (the Page inbox, the Instagram app) and is stored as an outbound
 * message by that author, so the conversation shows what the customer was told.
 */
export async function applyEcho(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: Extract<InboundEvent, { kind: 'echo' }>,
): Promise<void> {
  const tx = uow.tx;
  const ours = e.ourMessageId
    ? await tx
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', e.ourMessageId)
        .where('channel_id', '=', channel.id)
        .executeTakeFirst()
    : await findOutbound(tx, channel.id, e.providerMessageId);
  if (e.ourMessageId || ours) {
    if (ours && e.providerTs !== null && (ours.provider_ts === null || e.providerTs < ours.provider_ts)) {
      await tx.updateTable('messages').set({ provider_ts: e.providerTs }).where('id', '=', ours.id).execute();
    }
    return;
  }
  const now = ctx.clock.now();
  const { contactId } = await upsertIdentity(ctx, tx, channel, e.contact, now);
  if (!e.ownSendsMarked) {
    // An echo can overtake the send job's commit of our own message's id: while a send to this
    // customer is in flight, wait for it (retried; given up after about 30 s) rather than store a copy.
    const inFlight = await tx
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.id')
      .where('messages.channel_id', '=', channel.id)
      .where('conversations.contact_id', '=', contactId)
      .where('messages.direction', '=', 'out')
      .where('messages.delivery_status', '=', 'queued')
      .executeTakeFirst();
    if (inFlight) throw new UnknownMessageStatus(e.providerMessageId);
  }
  let conv = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channel.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  let created = false;
  if (!conv) {
    conv = newConversationRow(channel, contactId, now, 'open');
    await tx.insertInto('conversations').values(conv).execute();
    created = true;
  }
  const messageId = await insertMessage(
    tx,
    {
      accountId: channel.account_id,
      conversationId: conv.id,
      channelId: channel.id,
      direction: 'out',
      authorKind: 'user',
      authorId: null,
      contentKind: e.contentKind,
      body: e.text,
      providerMessageId: e.providerMessageId,
      deliveryStatus: 'sent',
      providerTs: e.providerTs,
      meta: { ...e.meta, sentOutside: { by: e.author } },
    },
    now,
  );
  await insertInboundAttachments(uow, channel.account_id, messageId, e.attachments, now);
  await tx
    .updateTable('conversations')
    .set({ last_activity_at: now, last_message_preview: previewOf(e.text, e.contentKind), updated_at: now })
    .where('id', '=', conv.id)
    .execute();
  uow.emit(
    channel.account_id,
    created ? 'conversation.created' : 'conversation.updated',
    (await loadConversationDto(tx, conv.id, channel.account_id))!,
    conv.team_id,
  );
  await emitMessageCreated(uow, channel.account_id, messageId, conv.team_id);
}
