import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { indexMessage } from '../search/search-index.ts';
import { loadMessageDto, previewOf } from './message.dto.ts';
import { SEND_JOB } from './send-message.job.ts';

export interface OutboundInput {
  conversation: Row<'conversations'>;
  authorKind: 'user' | 'system';
  authorId: string | null;
  contentKind: string;
  body: string | null;
  meta: Record<string, unknown>;
  /**
   * An operator's answer: moves last outbound and first response. Automatic messages and broadcasts
   * do not, so those figures stay the operators' own.
   */
  isReply: boolean;
}

/**
 * Writes a message to the customer and its send job in the caller's transaction, moves the
 * conversation's activity and emits both changes: the outbox rule, so the message is never sent
 * without being stored nor stored without being sent.
 */
export async function insertOutboundMessage(
  ctx: AppContext,
  uow: UnitOfWork,
  m: OutboundInput,
): Promise<string> {
  const conv = m.conversation;
  const now = ctx.clock.now();
  const id = newId(now);
  await uow.tx
    .insertInto('messages')
    .values({
      id,
      account_id: conv.account_id,
      conversation_id: conv.id,
      channel_id: conv.channel_id,
      direction: 'out',
      author_kind: m.authorKind,
      author_id: m.authorId,
      content_kind: m.contentKind,
      body: m.body,
      private: 0,
      provider_message_id: null,
      client_message_id: null,
      delivery_status: 'queued',
      error_code: null,
      error_message: null,
      provider_ts: null,
      meta: JSON.stringify(m.meta),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await indexMessage(ctx, uow.tx, id);
  // One conversation's messages leave in the order they were written, even across retries.
  await uow.enqueue({
    type: SEND_JOB,
    payload: { messageId: id },
    accountId: conv.account_id,
    orderKey: `out:${conv.id}`,
  });
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
    await loadConversationDto(uow.tx, conv.id, conv.account_id),
    conv.team_id,
  );
  uow.emit(conv.account_id, 'message.created', (await loadMessageDto(uow.tx, id))!, conv.team_id);
  return id;
}
