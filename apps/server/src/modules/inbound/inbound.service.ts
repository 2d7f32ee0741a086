import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { InboundContact, InboundEvent } from '../channels/channel-adapter.ts';
import { applyConsentKeyword, recordProviderOptOut } from '../consent/consent.service.ts';
import { keywordOnChannel } from '../consent/keyword-settings.ts';
import { newConversationRow } from '../conversations/new-conversation.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { loadContactDto } from '../contacts/contact.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertInboundAttachments } from '../media/media-intake.ts';
import { deliveryAdvances, previewOf } from '../messages/message.dto.ts';
import { emitMessageCreated, emitMessageUpdated, insertMessage } from '../messages/message-store.ts';
import { onInboundMessage } from '../routing/routing.hooks.ts';
import { botOnInbound } from '../bots/bot-inbound.ts';
import { openBotSession } from '../bots/bot-session.ts';
import { applyEcho, applyReceipt, findOutbound } from './receipt-echo.service.ts';
import { findAdapter } from '../channels/channel-registry.ts';
import { CONTACT_PROFILE_JOB } from '../contacts/contact-profile.job.ts';
import { applyConsentEvent } from './consent-event.service.ts';
import { threadedConversation } from './mail-threading.ts';
import { takeSurveyAnswer } from '../csat/csat-intake.ts';
import { autoMergeVerified } from '../contacts/duplicates/auto-merge.ts';

/** Applies one normalised inbound event inside the caller's transaction. */
export async function applyInboundEvent(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: InboundEvent,
): Promise<void> {
  if (e.kind === 'status') return applyStatus(ctx, uow, channel, e);
  if (e.kind === 'revoke') return applyRevoke(ctx, uow, channel, e);
  if (e.kind === 'receipt') return applyReceipt(ctx, uow, channel, e);
  if (e.kind === 'echo') return applyEcho(ctx, uow, channel, e);
  if (e.kind === 'consent') return applyConsentEvent(ctx, uow, channel, e);
  const tx = uow.tx;
  const now = ctx.clock.now();
  const identity = await upsertIdentity(ctx, tx, channel, e.contact, now);
  // A phone the provider verified may join this identity to the contact that already has that phone.
  const joined = await autoMergeVerified(ctx, uow, channel, identity.contactId, identity.created, e);
  const contactId = joined.contactId;
  const contactCreated = identity.created && contactId === identity.contactId;

  // Keyed on (channel, provider message id): a redelivered message is a no-op, an edit updates it.
  const exists = await tx
    .selectFrom('messages')
    .select('id')
    .where('channel_id', '=', channel.id)
    .where('provider_message_id', '=', e.providerMessageId)
    .executeTakeFirst();
  if (exists) {
    if (e.editedAt !== undefined) await applyEdit(ctx, uow, channel, exists.id, e);
    return;
  }

  // The answer to a satisfaction survey goes to the surveyed conversation, which stays resolved.
  if (!e.thread && (await takeSurveyAnswer(ctx, uow, channel, contactId, e))) return;

  let conv = e.thread
    ? await threadedConversation(ctx, tx, channel, contactId, e.thread)
    : await tx
        .selectFrom('conversations')
        .selectAll()
        .where('contact_id', '=', contactId)
        .where('channel_id', '=', channel.id)
        .where('status', '!=', 'resolved')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
  let conversationCreated = false;
  if (!conv) {
    conv = newConversationRow(channel, contactId, now, 'open');
    await tx.insertInto('conversations').values(conv).execute();
    conversationCreated = true;
    await openBotSession(tx, channel, conv, now);
  }

  const messageId = await insertMessage(
    tx,
    {
      accountId: channel.account_id,
      conversationId: conv.id,
      channelId: channel.id,
      direction: 'in',
      authorKind: 'contact',
      authorId: contactId,
      contentKind: e.contentKind,
      body: e.text,
      providerMessageId: e.providerMessageId,
      deliveryStatus: null,
      providerTs: e.providerTs,
      meta: { ...e.meta, ...(e.editedAt !== undefined ? { editedAt: e.editedAt } : {}) },
    },
    now,
  );
  await insertInboundAttachments(uow, channel.account_id, messageId, e.attachments, now);

  // The messaging window is measured from the provider's own timestamp when it gives one.
  const inboundAt = e.providerTs ?? now;
  await tx
    .updateTable('conversations')
    .set({
      last_inbound_at: Math.max(conv.last_inbound_at ?? 0, inboundAt),
      last_activity_at: now,
      last_message_preview: previewOf(e.text, e.contentKind),
      // A customer writing again wakes a snoozed or pending conversation; a bot keeps its own.
      status: conv.status === 'bot' ? 'bot' : 'open',
      snoozed_until: null,
      updated_at: now,
    })
    .where('id', '=', conv.id)
    .execute();

  const convDto = (await loadConversationDto(tx, conv.id, channel.account_id))!;
  if (contactCreated)
    uow.emit(
      channel.account_id,
      'contact.created',
      (await loadContactDto(tx, channel.account_id, contactId))!,
      conv.team_id,
    );
  // Messenger and Instagram say only who wrote by id: the name is asked for once, after commit.
  if (contactCreated && !e.contact.name && findAdapter(channel.type)?.fetchProfile) {
    await uow.enqueue({
      type: CONTACT_PROFILE_JOB,
      payload: { contactId, channelId: channel.id, externalId: e.contact.externalId },
      accountId: channel.account_id,
    });
  }
  uow.emit(
    channel.account_id,
    conversationCreated ? 'conversation.created' : 'conversation.updated',
    convDto,
    conv.team_id,
  );
  await emitMessageCreated(uow, channel.account_id, messageId, conv.team_id);
  // Before routing: an automatic greeting to someone who just texted STOP must already be refused.
  // SMS adapters match keywords themselves (they may answer them); every other channel, here.
  const keyword = e.keyword ?? (await keywordOnChannel(tx, channel, e.text));
  if (keyword)
    await applyConsentKeyword(ctx, uow, { channel, contactId, conversation: conv, match: keyword });
  // A bot holding the conversation answers it; routing (assignment, automatic texts) waits for the hand-off.
  const meta = e.meta as Record<string, unknown> | undefined;
  if (
    conv.status === 'bot' &&
    (await botOnInbound(ctx, uow, { conversation: conv, conversationCreated, messageId, text: e.text, meta }))
  )
    return;
  await onInboundMessage(ctx, uow, { channel, conversationId: conv.id, conversationCreated, messageId });
}

/**
 * Finds or creates the contact behind a channel identity. On PostgreSQL the identity row is locked,
 * so two events of one new customer processed at once do not open two conversations.
 */
export async function upsertIdentity(
  ctx: AppContext,
  tx: Tx,
  channel: Row<'channels'>,
  c: InboundContact,
  now: number,
): Promise<{ contactId: string; created: boolean }> {
  const find = () =>
    tx
      .selectFrom('contact_identities')
      .select(['id', 'contact_id'])
      .where('channel_id', '=', channel.id)
      .where('external_id', '=', c.externalId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
  const existing = await find();
  if (existing) {
    if (c.name || c.phone || c.email) {
      const contact = await tx
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', existing.contact_id)
        .executeTakeFirstOrThrow();
      // Fill what we did not know; never overwrite what an operator may have corrected.
      const patch = {
        name: contact.name ?? c.name ?? null,
        phone: contact.phone ?? c.phone ?? null,
        email: contact.email ?? c.email ?? null,
      };
      if (patch.name !== contact.name || patch.phone !== contact.phone || patch.email !== contact.email) {
        await tx
          .updateTable('contacts')
          .set({ ...patch, updated_at: now })
          .where('id', '=', contact.id)
          .execute();
      }
    }
    return { contactId: existing.contact_id, created: false };
  }
  const contactId = newId(now);
  await tx
    .insertInto('contacts')
    .values({
      id: contactId,
      account_id: channel.account_id,
      name: c.name ?? null,
      phone: c.phone ?? null,
      email: c.email ?? null,
      attributes: '{}',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const ins = await tx
    .insertInto('contact_identities')
    .values({
      id: newId(now),
      account_id: channel.account_id,
      contact_id: contactId,
      channel_id: channel.id,
      external_id: c.externalId,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .executeTakeFirst();
  if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 1) return { contactId, created: true };
  // Another transaction created the identity first: use its contact, drop ours.
  await tx.deleteFrom('contacts').where('id', '=', contactId).execute();
  const winner = await find();
  return { contactId: winner!.contact_id, created: false };
}

/**
 * A customer edited a message: the newer version's text and meta replace the stored ones and the
 * replaced text is kept in meta.edits. A version older than the stored one (arriving late) is ignored.
 */
async function applyEdit(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  messageId: string,
  e: Extract<InboundEvent, { kind: 'message' }>,
): Promise<void> {
  const msg = await uow.tx
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  // Only the customer edits: an edit naming one of our own messages' ids changes nothing.
  if (msg.author_kind !== 'contact') return;
  const meta = JSON.parse(msg.meta) as Record<string, unknown>;
  const lastEdit = typeof meta.editedAt === 'number' ? meta.editedAt : null;
  if (lastEdit !== null && e.editedAt! <= lastEdit) return;
  const edits = Array.isArray(meta.edits) ? meta.edits : [];
  const next = {
    ...meta,
    ...e.meta,
    editedAt: e.editedAt,
    edits: [...edits, { text: msg.body, at: lastEdit ?? msg.provider_ts ?? msg.created_at }].slice(-20),
  };
  await uow.tx
    .updateTable('messages')
    .set({ body: e.text, meta: JSON.stringify(next), updated_at: ctx.clock.now() })
    .where('id', '=', msg.id)
    .execute();
  const conv = await uow.tx
    .selectFrom('conversations')
    .select('team_id')
    .where('id', '=', msg.conversation_id)
    .executeTakeFirstOrThrow();
  await emitMessageUpdated(uow, channel.account_id, msg.id, conv.team_id);
}

/**
 * A customer deleted one of their messages for everyone. Its text stays stored for the record (colleagues
 * may already have acted on it, and the audit trail should not lose it); `meta.deletedAt` marks it, and
 * the console shows it as deleted by the customer. Only the customer's own messages can be marked; a
 * message we never stored, or one already marked, changes nothing.
 */
async function applyRevoke(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: Extract<InboundEvent, { kind: 'revoke' }>,
): Promise<void> {
  const msg = await uow.tx
    .selectFrom('messages')
    .selectAll()
    .where('channel_id', '=', channel.id)
    .where('provider_message_id', '=', e.providerMessageId)
    .executeTakeFirst();
  if (msg?.author_kind !== 'contact') return;
  const meta = JSON.parse(msg.meta) as Record<string, unknown>;
  if (typeof meta.deletedAt === 'number') return;
  const now = ctx.clock.now();
  await uow.tx
    .updateTable('messages')
    .set({
      meta: JSON.stringify({ ...meta, deletedAt: e.revokedAt ?? now, deletedBy: 'contact' }),
      updated_at: now,
    })
    .where('id', '=', msg.id)
    .execute();
  const conv = await uow.tx
    .selectFrom('conversations')
    .select('team_id')
    .where('id', '=', msg.conversation_id)
    .executeTakeFirstOrThrow();
  await emitMessageUpdated(uow, channel.account_id, msg.id, conv.team_id);
}

/** A delivery receipt for a provider message id we do not (yet) know. */
export class UnknownMessageStatus extends Error {
  constructor(readonly providerMessageId: string) {
    super(`status for unknown provider message ${providerMessageId}`);
  }
}

async function applyStatus(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: Extract<InboundEvent, { kind: 'status' }>,
): Promise<void> {
  const msg = await findOutbound(uow.tx, channel.id, e.providerMessageId);
  // A receipt can overtake our own commit of the provider's id (the send job is still finishing).
  if (!msg) throw new UnknownMessageStatus(e.providerMessageId);
  if (!deliveryAdvances(msg.delivery_status, e.status)) return;
  await uow.tx
    .updateTable('messages')
    .set({
      delivery_status: e.status,
      error_code: e.status === 'failed' ? (e.errorCode ?? 'failed') : msg.error_code,
      error_message:
        e.status === 'failed' ? (e.errorMessage ?? 'The provider reported a failure') : msg.error_message,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', msg.id)
    .execute();
  const conv = await uow.tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', msg.conversation_id)
    .executeTakeFirstOrThrow();
  await emitMessageUpdated(uow, channel.account_id, msg.id, conv.team_id);
  if (e.status === 'failed' && e.providerOptOutSource) {
    // As when the send itself is refused for it; nothing changes if they have already opted out.
    await recordProviderOptOut(ctx, uow, {
      channel,
      contactId: conv.contact_id,
      conversation: conv,
      source: e.providerOptOutSource,
    });
  }
}
