import type { BotHandoffReason } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { emitConversationChanged } from '../events/conversation-events.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { autoAssign } from '../routing/assignment/assignment.service.ts';
import { onConversationPatched } from '../routing/routing.hooks.ts';
import { endBotSession } from './bot-session.ts';
import { requireAccountTeam } from '../teams/account-team.ts';

export interface Handoff {
  reason: BotHandoffReason;
  teamId?: string;
  note?: string;
  /** Who wrote the note. */
  author: { kind: 'bot' | 'user'; id: string; name?: string };
  /** An operator taking the conversation over: it becomes theirs instead of going through routing. */
  assignTo?: string;
}

/**
 * Gives a conversation held by a bot to people: the session ends (the bot hears nothing more about it),
 * the status becomes `open`, the note is kept as a private note, and routing assigns it as it would a
 * new conversation (or it goes to the operator taking it over). One transaction with its events.
 */
export async function handOff(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Row<'conversations'>,
  h: Handoff,
): Promise<void> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const before = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conv.id)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  if (before.status !== 'bot') throw new DomainError('conflict', 'This conversation is not with a bot');
  // No open session (its bot was removed mid-way) is fine: people take it all the same.
  await endBotSession(tx, conv.id, h.reason, now);
  if (h.teamId) await requireAccountTeam(tx, conv.account_id, h.teamId);
  await tx
    .updateTable('conversations')
    .set({
      status: 'open',
      ...(h.teamId ? { team_id: h.teamId } : {}),
      ...(h.assignTo ? { assignee_id: h.assignTo } : {}),
      updated_at: now,
    })
    .where('id', '=', conv.id)
    .execute();
  if (h.note) {
    await insertOutboundMessage(ctx, uow, {
      conversation: { ...before, status: 'open', team_id: h.teamId ?? before.team_id },
      authorKind: h.author.kind,
      authorId: h.author.id,
      contentKind: 'text',
      body: h.note,
      meta: {
        handoff: { reason: h.reason },
        ...(h.author.kind === 'bot' && h.author.name
          ? { bot: { id: h.author.id, name: h.author.name } }
          : {}),
      },
      isReply: false,
      private: true,
    });
  }
  const dto = (await loadConversationDto(tx, conv.id, conv.account_id))!;
  emitConversationChanged(uow, conv.account_id, before, dto);
  if (h.assignTo) await onConversationPatched(ctx, uow, before, h.assignTo);
  else await autoAssign(ctx, uow, conv.id, { reason: 'auto' });
}
