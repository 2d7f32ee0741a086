import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { InboundAttachment } from '../channels/channel-adapter.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertInboundAttachments } from '../media/media-intake.ts';
import { dtoOf, previewOf, type MessageDto } from './message.dto.ts';
import { emitMessageCreated, insertMessageRow } from './message-store.ts';
import { SEND_JOB } from './send-message.job.ts';

export interface OutboundInput {
  conversation: Row<'conversations'>;
  authorKind: 'user' | 'bot' | 'system';
  authorId: string | null;
  contentKind: string;
  body: string | null;
  meta: Record<string, unknown>;
  /**
   * An operator's answer: moves last outbound and first response. Automatic messages and broadcasts
   * do not, so those figures stay the operators' own.
   */
  isReply: boolean;
  /** A private note: stored and shown to colleagues, never sent; the conversation's activity stays. */
  private?: boolean;
  clientMessageId?: string;
  /** Files already stored (uploads) or given by link; none is downloaded. */
  attachments?: InboundAttachment[];
}

/**
 * Writes a message to the customer and its send job in the caller's transaction, moves the
 * conversation's activity and emits both changes: the outbox rule, so the message is never sent
 * without being stored nor stored without being sent. Operator replies, automatic messages and
 * broadcasts all come through here.
 */
export async function insertOutboundMessage(
  ctx: AppContext,
  uow: UnitOfWork,
  m: OutboundInput,
): Promise<MessageDto> {
  const conv = m.conversation;
  const now = ctx.clock.now();
  const row = await insertMessageRow(
    uow.tx,
    {
      accountId: conv.account_id,
      conversationId: conv.id,
      channelId: conv.channel_id,
      direction: 'out',
      authorKind: m.authorKind,
      authorId: m.authorId,
      contentKind: m.contentKind,
      body: m.body,
      private: m.private,
      clientMessageId: m.clientMessageId,
      deliveryStatus: m.private ? null : 'queued',
      meta: m.meta,
    },
    now,
  );
  const id = row.id;
  const files = m.attachments ?? [];
  await insertInboundAttachments(uow, conv.account_id, id, files, now);
  if (!m.private) {
    await enqueueSend(uow, conv, id);
    const firstResponse = m.isReply && conv.first_response_at === null;
    await uow.tx
      .updateTable('conversations')
      .set({
        ...(m.isReply ? { last_outbound_at: now } : {}),
        last_activity_at: now,
        last_message_preview: previewOf(m.body, m.contentKind),
        ...(firstResponse ? { first_response_at: now, first_response_ms: now - conv.created_at } : {}),
        updated_at: now,
      })
      .where('id', '=', conv.id)
      .execute();
    uow.emit(
      conv.account_id,
      'conversation.updated',
      (await loadConversationDto(uow.tx, conv.id, conv.account_id))!,
      conv.team_id,
    );
  }
  if (files.length) return emitMessageCreated(uow, conv.account_id, id, conv.team_id);
  // No files: the row just written is the whole message, no need to read it back.
  const dto = dtoOf(row, []);
  uow.emit(conv.account_id, 'message.created', dto, conv.team_id);
  return dto;
}

/** One conversation's messages leave in the order they were written, even across retries. */
export async function enqueueSend(
  uow: UnitOfWork,
  conv: Pick<Row<'conversations'>, 'id' | 'account_id'>,
  messageId: string,
): Promise<void> {
  await uow.enqueue({
    type: SEND_JOB,
    payload: { messageId },
    accountId: conv.account_id,
    orderKey: `out:${conv.id}`,
  });
}
