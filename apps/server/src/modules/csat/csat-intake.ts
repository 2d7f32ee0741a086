import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { InboundEvent } from '../channels/channel-adapter.ts';
import { keywordOnChannel } from '../consent/keyword-settings.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertInboundAttachments } from '../media/media-intake.ts';
import { previewOf } from '../messages/message.dto.ts';
import { emitMessageCreated, insertMessage } from '../messages/message-store.ts';
import { ratingOfButton, ratingOfText } from './csat-answer.ts';
import { recordAnswer } from './csat-record.ts';

type InboundMessage = Extract<InboundEvent, { kind: 'message' }>;

/**
 * Takes a customer's message as the answer to their open survey, when it is one (docs/metrics.md,
 * "CSAT answers"): a tapped rating button, or, while the customer has no open conversation on the
 * channel, a digit or emoji rating, or the first message after the rating (its comment). The answer
 * is stored in the surveyed conversation, which stays resolved: no reopening, no new conversation.
 * Returns false when the message is not an answer and takes the normal path.
 */
export async function takeSurveyAnswer(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  contactId: string,
  e: InboundMessage,
): Promise<boolean> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const tapped = ratingOfButton(typeof e.meta?.buttonId === 'string' ? e.meta.buttonId : null);
  const survey = await tx
    .selectFrom('csat_surveys as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .selectAll('s')
    // Through the conversation: a merge of contacts moves conversations, not surveys.
    .where('c.contact_id', '=', contactId)
    .where('c.channel_id', '=', channel.id)
    .where('s.status', '=', 'sent')
    .where('s.expires_at', '>', now)
    .where('c.status', '=', 'resolved')
    .orderBy('s.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  // A button of a survey whose window has passed changes nothing, and opens nothing either.
  if (!survey) return tapped !== null;
  let rating = tapped;
  let comment: string | null = null;
  if (rating === null) {
    // Typed answers belong to the survey only until the customer starts a new conversation.
    const open = await tx
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', contactId)
      .where('channel_id', '=', channel.id)
      .where('status', '!=', 'resolved')
      .limit(1)
      .executeTakeFirst();
    if (open) return false;
    // STOP and its kin are the customer's consent, never a comment.
    if (e.keyword || (await keywordOnChannel(tx, channel, e.text))) return false;
    rating = e.contentKind === 'text' ? ratingOfText(e.text) : null;
    if (rating === null) {
      if (survey.rating === null || survey.commented_at !== null || !e.text?.trim()) return false;
      comment = e.text.trim().slice(0, 2000);
    }
  }
  const conv = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', survey.conversation_id)
    .executeTakeFirstOrThrow();
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
      meta: {
        ...e.meta,
        csat: comment === null ? { surveyId: survey.id, rating } : { surveyId: survey.id, comment: true },
      },
    },
    now,
  );
  await insertInboundAttachments(uow, channel.account_id, messageId, e.attachments, now);
  // The customer wrote: the messaging window moves; the status does not.
  await tx
    .updateTable('conversations')
    .set({
      last_inbound_at: Math.max(conv.last_inbound_at ?? 0, e.providerTs ?? now),
      last_activity_at: now,
      last_message_preview: previewOf(e.text, e.contentKind),
      updated_at: now,
    })
    .where('id', '=', conv.id)
    .execute();
  uow.emit(
    channel.account_id,
    'conversation.updated',
    (await loadConversationDto(tx, conv.id, channel.account_id))!,
    conv.team_id,
  );
  await emitMessageCreated(uow, channel.account_id, messageId, conv.team_id);
  await recordAnswer(ctx, uow, survey, comment === null ? { rating: rating! } : { comment });
  return true;
}
