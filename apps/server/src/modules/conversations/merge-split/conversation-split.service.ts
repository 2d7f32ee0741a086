import type { ConversationDto } from '@switchboard/shared';
import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { DomainError } from '../../../lib/domain-error.ts';
import { audit } from '../../audit/audit.service.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { loadConversationDto } from '../conversation.dto.ts';
import { newConversationRow } from '../new-conversation.ts';
import { conversationMergedError, lockConversations } from './conversation-locks.ts';
import type { MoveActor } from './conversation-merge.service.ts';
import { announceMoved, combineReadMarkers, moveMessages, summaryOf } from './move-messages.ts';

export const CONVERSATION_SPLIT_ACTION = 'conversation.split';

/**
 * Moves the selected messages of `sourceId` into a new conversation of the same contact, by
 * CONVERSATION_SPLIT_RULE: on the channel of the newest selected customer message (else the newest
 * selected), open, with the source's team, assignee and priority. Messages keep id, time and channel;
 * both conversations' summaries (last inbound, reply, activity, preview) are recomputed from what they
 * now hold, read markers are copied. Refuses an empty selection, a message of another conversation and
 * moving every message. Audited.
 */
export async function splitConversation(
  ctx: AppContext,
  uow: UnitOfWork,
  who: MoveActor,
  sourceId: string,
  messageIds: string[],
  ip?: string,
): Promise<{ conversation: ConversationDto; source: ConversationDto; moved: number }> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const wanted = [...new Set(messageIds)];
  if (!wanted.length) throw new DomainError('nothing_selected', 'Select at least one message to move');
  const [source] = (await lockConversations(ctx, tx, who.accountId, [sourceId])) as [Row<'conversations'>];
  if (source.merged_into) throw conversationMergedError(source.merged_into);
  const found = await tx
    .selectFrom('messages')
    .select(['id', 'channel_id', 'direction', 'created_at'])
    .where('conversation_id', '=', source.id)
    .where('id', 'in', wanted)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (found.length !== wanted.length) {
    const ids = new Set(found.map((f) => f.id));
    throw new DomainError(
      'message_not_in_conversation',
      'Some selected messages are not in this conversation',
      {
        messageIds: wanted.filter((id) => !ids.has(id)),
      },
    );
  }
  const total = Number(
    (
      await tx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('conversation_id', '=', source.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (found.length >= total)
    throw new DomainError('cannot_move_all_messages', 'At least one message must stay in this conversation');

  const anchor = found.filter((m) => m.direction === 'in').at(-1) ?? found.at(-1)!;
  const channel = await tx
    .selectFrom('channels')
    .select(['id', 'account_id', 'team_id'])
    .where('id', '=', anchor.channel_id)
    .executeTakeFirstOrThrow();
  const row = {
    ...newConversationRow(channel, source.contact_id, now, 'open'),
    team_id: source.team_id,
    assignee_id: source.assignee_id,
    priority: source.priority,
  };
  await tx.insertInto('conversations').values(row).execute();
  const moved = found.map((m) => m.id);
  await moveMessages(uow, who.accountId, moved, row);
  await tx
    .updateTable('conversations')
    .set({ ...(await summaryOf(tx, row.id, now)), updated_at: now })
    .where('id', '=', row.id)
    .execute();
  await tx
    .updateTable('conversations')
    .set({ ...(await summaryOf(tx, source.id, source.created_at)), updated_at: now })
    .where('id', '=', source.id)
    .execute();
  await combineReadMarkers(tx, source.id, row.id, now, true);
  await audit(ctx, tx, who, {
    action: CONVERSATION_SPLIT_ACTION,
    targetType: 'conversation',
    targetId: source.id,
    details: { newConversationId: row.id, moved: found.length },
    ip,
  });
  const conversation = (await loadConversationDto(tx, row.id, who.accountId))!;
  // Announced before its messages are, so consoles know the conversation they move into.
  uow.emit(who.accountId, 'conversation.created', conversation, conversation.teamId);
  const sourceDto = (await loadConversationDto(tx, source.id, who.accountId))!;
  uow.emit(who.accountId, 'conversation.updated', sourceDto, sourceDto.teamId);
  await announceMoved(uow, who.accountId, moved, conversation.teamId);
  return { conversation, source: sourceDto, moved: moved.length };
}
