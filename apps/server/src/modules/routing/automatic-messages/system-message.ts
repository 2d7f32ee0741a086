import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { loadMessageDto } from '../../messages/message.dto.ts';
import { indexMessage } from '../../search/search-index.ts';

/**
 * A line in the conversation's history for colleagues (assignment changes and the like): private,
 * never sent, content kind `system`. Emits message.created.
 */
export async function insertSystemMessage(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Pick<Row<'conversations'>, 'id' | 'account_id' | 'channel_id' | 'team_id'>,
  text: string,
  meta: Record<string, unknown>,
): Promise<string> {
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
      author_kind: 'system',
      author_id: null,
      content_kind: 'system',
      body: text,
      private: 1,
      provider_message_id: null,
      client_message_id: null,
      delivery_status: null,
      error_code: null,
      error_message: null,
      provider_ts: null,
      meta: JSON.stringify(meta),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await indexMessage(ctx, uow.tx, id);
  uow.emit(conv.account_id, 'message.created', (await loadMessageDto(uow.tx, id))!, conv.team_id);
  return id;
}
