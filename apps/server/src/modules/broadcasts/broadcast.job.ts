import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { newConversationRow } from '../conversations/new-conversation.ts';
import { consentFlags } from '../consent/consent.service.ts';
import { transact, type UnitOfWork } from '../events/unit-of-work.ts';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { templateBody } from '../messages/template-content.ts';
import { type ChannelRouting, loadChannelRoutingById } from '../routing/settings/routing-settings.ts';
import { recordRefusal, sendAllowed, windowState } from '../routing/window/window-policy.ts';
import type { BroadcastContent, RecipientOutcome } from './broadcast.dto.ts';
import { defineJob } from '../../worker/define-job.ts';

export const BROADCAST_JOB = 'broadcast.run';
/** Recipients per job run: each is its own transaction; the next batch is another job. */
export const BROADCAST_BATCH = 100;
/**
 * Recipients decided in one transaction: one commit (a WAL flush on PostgreSQL), one numbering of the
 * account's events and one read of the account's listeners' settings for all of them instead of one
 * each. Short enough that SQLite's single writer is not held long (inbound keeps flowing between).
 */
export const BROADCAST_CHUNK = 20;

/**
 * `broadcast.run`: decides the next batch of pending recipients, one transaction each, then queues
 * itself again until none is left. Safe to run twice: a recipient is claimed by moving it off
 * `pending` inside its own transaction.
 */
export const broadcastJob = defineJob(
  BROADCAST_JOB,
  z.object({ broadcastId: z.string() }),
  async (ctx, { broadcastId }) => {
    const k = ctx.db.kysely;
    const b = await k.selectFrom('broadcasts').selectAll().where('id', '=', broadcastId).executeTakeFirst();
    if (!b || b.status === 'done') return;
    const batch = await k
      .selectFrom('broadcast_recipients')
      .select('contact_id')
      .where('broadcast_id', '=', b.id)
      .where('outcome', '=', 'pending')
      .orderBy('contact_id')
      .limit(BROADCAST_BATCH)
      .execute();
    // Read once a batch, not once a recipient: a channel deactivated meanwhile stops the next batch.
    const batchCtx: BatchContext = {
      channel: await k
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', b.channel_id)
        .executeTakeFirstOrThrow(),
      routing: await loadChannelRoutingById(k, b.channel_id),
      content: JSON.parse(b.content) as BroadcastContent,
    };
    for (let i = 0; i < batch.length; i += BROADCAST_CHUNK) {
      const chunk = batch.slice(i, i + BROADCAST_CHUNK).map((r) => r.contact_id);
      try {
        await transact(ctx, async (uow) => {
          for (const contactId of chunk) await decide(ctx, uow, b, batchCtx, contactId);
        });
      } catch (err) {
        // One recipient failing must not hold back the others: decide them one transaction each, so
        // the job fails (and retries) at that recipient with the ones before it settled, as before.
        ctx.log.warn(
          { err, broadcastId: b.id },
          'broadcast chunk failed; deciding its recipients one by one',
        );
        for (const contactId of chunk) await transact(ctx, (uow) => decide(ctx, uow, b, batchCtx, contactId));
      }
    }
    await transact(ctx, async (uow) => {
      const left = await uow.tx
        .selectFrom('broadcast_recipients')
        .select('contact_id')
        .where('broadcast_id', '=', b.id)
        .where('outcome', '=', 'pending')
        .limit(1)
        .executeTakeFirst();
      if (left) {
        await uow.enqueue({ type: BROADCAST_JOB, payload: { broadcastId: b.id }, accountId: b.account_id });
        return;
      }
      await uow.tx
        .updateTable('broadcasts')
        .set({ status: 'done', finished_at: ctx.clock.now() })
        .where('id', '=', b.id)
        .execute();
    });
  },
);

interface BatchContext {
  channel: Row<'channels'>;
  routing: ChannelRouting;
  content: BroadcastContent;
}

/**
 * One recipient, in the caller's transaction: the window and consent on this channel decide; a refusal
 * is recorded like any other.
 */
async function decide(
  ctx: AppContext,
  uow: UnitOfWork,
  b: Row<'broadcasts'>,
  { channel, routing, content }: BatchContext,
  contactId: string,
): Promise<void> {
  const now = ctx.clock.now();
  const claimed = await uow.tx
    .updateTable('broadcast_recipients')
    .set({ updated_at: now })
    .where('broadcast_id', '=', b.id)
    .where('contact_id', '=', contactId)
    .where('outcome', '=', 'pending')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  const settle = (outcome: RecipientOutcome, extra: Partial<Row<'broadcast_recipients'>> = {}) =>
    uow.tx
      .updateTable('broadcast_recipients')
      .set({ outcome, ...extra, updated_at: now })
      .where('broadcast_id', '=', b.id)
      .where('contact_id', '=', contactId)
      .execute();

  if (channel.active !== 1) return void (await settle('channel_inactive'));
  const identity = await uow.tx
    .selectFrom('contact_identities')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channel.id)
    .executeTakeFirst();
  if (!identity) return void (await settle('no_identity'));

  // Every inbound message lands in the newest conversation, so its last_inbound_at is when the
  // customer last wrote on this channel: what the window is measured from.
  let conv = await uow.tx
    .selectFrom('conversations')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channel.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const consent = await consentFlags(uow.tx, contactId, routing.channelType);
  const state = windowState(
    routing.channelType,
    routing.windowMs,
    conv?.last_inbound_at ?? null,
    now,
    consent,
  );
  if (!sendAllowed(state, content.template ? 'template' : 'broadcast')) {
    if (conv) await recordRefusal(ctx, uow.tx, conv, 'broadcast', b.created_by, state);
    return void (await settle(state.reason === 'opted_out' ? 'opted_out' : 'window_closed', {
      conversation_id: conv?.id ?? null,
      closed_at: state.closesAt,
    }));
  }
  conv ??= await openQuietConversation(uow, channel, contactId, now);
  const message = await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'user',
    authorId: b.created_by,
    contentKind: content.template ? 'template' : 'text',
    body: content.template ? templateBody(content.template) : (content.text ?? null),
    meta: { broadcastId: b.id, ...(content.template ? { template: content.template } : {}) },
    isReply: false,
  });
  await settle('queued', { conversation_id: conv.id, message_id: message.id });
}

/**
 * A contact reached here before without a conversation (an import, an opt-in): the broadcast gets a
 * resolved one, so it is on record without entering the operators' queue; an answer opens a new one.
 */
async function openQuietConversation(
  uow: UnitOfWork,
  channel: Row<'channels'>,
  contactId: string,
  now: number,
): Promise<Row<'conversations'>> {
  const conv = newConversationRow(channel, contactId, now, 'resolved');
  await uow.tx.insertInto('conversations').values(conv).execute();
  return conv;
}
