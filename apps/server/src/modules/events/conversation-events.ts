import type { ConversationDto } from '../conversations/conversation.dto.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/**
 * The events of a changed conversation: `conversation.updated` for its team (and for the team it
 * left, which loses it), plus `conversation.resolved` or `conversation.reopened` when the status
 * crossed into or out of resolved. Every path that changes a conversation's status should come here,
 * so rules, webhooks and reports see the same transitions.
 */
export function emitConversationChanged(
  uow: UnitOfWork,
  accountId: string,
  before: { status: string; team_id: string | null },
  after: ConversationDto,
): void {
  uow.emit(accountId, 'conversation.updated', after, after.teamId);
  if (before.team_id !== after.teamId && before.team_id !== null)
    uow.emit(accountId, 'conversation.updated', after, before.team_id);
  if (before.status !== 'resolved' && after.status === 'resolved')
    uow.emit(accountId, 'conversation.resolved', after, after.teamId);
  if (before.status === 'resolved' && after.status !== 'resolved')
    uow.emit(accountId, 'conversation.reopened', after, after.teamId);
}
