import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { emitMessageCreated, insertMessage } from '../../messages/message-store.ts';

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
  const id = await insertMessage(
    uow.tx,
    {
      accountId: conv.account_id,
      conversationId: conv.id,
      channelId: conv.channel_id,
      direction: 'out',
      authorKind: 'system',
      authorId: null,
      contentKind: 'system',
      body: text,
      private: true,
      deliveryStatus: null,
      meta,
    },
    ctx.clock.now(),
  );
  await emitMessageCreated(uow, conv.account_id, id, conv.team_id);
  return id;
}
