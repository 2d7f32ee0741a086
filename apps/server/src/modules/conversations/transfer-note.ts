import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { insertOutboundMessage } from '../messages/outbound-message.ts';
import { notify } from '../notifications/notification.service.ts';

/** `meta.transfer` of a transfer comment: who it was handed to, so the console shows it to them first. */
export interface TransferMeta {
  toUserId: string | null;
  toTeamId: string | null;
}

/**
 * A conversation handed over with a comment: the comment becomes a private note in the conversation
 * (`meta.transfer`), and the receiver — the new assignee, or the new team's active members when
 * nobody is assigned — gets a `transfer` notification, in the transfer's own transaction.
 */
export async function addTransferNote(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Row<'conversations'>,
  t: { note: string; actorId: string; toUserId: string | null; toTeamId: string | null },
): Promise<void> {
  const message = await insertOutboundMessage(ctx, uow, {
    conversation: conv,
    authorKind: 'user',
    authorId: t.actorId,
    contentKind: 'text',
    body: t.note,
    meta: { transfer: { toUserId: t.toUserId, toTeamId: t.toTeamId } satisfies TransferMeta },
    isReply: false,
    private: true,
  });
  const receivers = t.toUserId
    ? [t.toUserId]
    : t.toTeamId
      ? (
          await uow.tx
            .selectFrom('team_members as tm')
            .innerJoin('memberships as m', (j) =>
              j.onRef('m.user_id', '=', 'tm.user_id').onRef('m.account_id', '=', 'tm.account_id'),
            )
            .select('tm.user_id')
            .where('tm.team_id', '=', t.toTeamId)
            .where('m.active', '=', 1)
            .execute()
        ).map((r) => r.user_id)
      : [];
  await notify(uow, {
    accountId: conv.account_id,
    userIds: receivers,
    kind: 'transfer',
    conversationId: conv.id,
    messageId: message.id,
    actorId: t.actorId,
    text: t.note,
    now: message.createdAt,
  });
}
