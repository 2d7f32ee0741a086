import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { onConversationPatched } from '../routing/routing.hooks.ts';

/**
 * A reply to an unassigned conversation makes the replier its assignee (unless the account turned it
 * off), in the reply's transaction: the colleague who sees it next sees it taken, not free to answer
 * twice. The update is conditional, so of two operators replying at once the first one takes it; the
 * assignment is recorded as a manual one by the replier (assignment history, event, rollups, queue) but
 * writes no system line: the reply right below already says who took it, and a line per first reply
 * would double every conversation's history.
 */
export async function assignOnReply(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Row<'conversations'>,
  userId: string,
): Promise<void> {
  if (conv.assignee_id !== null) return;
  const account = await uow.tx
    .selectFrom('accounts')
    .select('assign_on_reply')
    .where('id', '=', conv.account_id)
    .executeTakeFirstOrThrow();
  if (account.assign_on_reply !== 1) return;
  const taken = await uow.tx
    .updateTable('conversations')
    .set({ assignee_id: userId, updated_at: ctx.clock.now() })
    .where('id', '=', conv.id)
    .where('assignee_id', 'is', null)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) return;
  await onConversationPatched(ctx, uow, conv, userId, { systemLine: false });
}
