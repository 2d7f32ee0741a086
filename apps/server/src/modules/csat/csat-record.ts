import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';

/**
 * Records a rating (a later one replaces the earlier: the latest counts) or the comment on a survey,
 * and announces it as `csat.received` (rules, webhooks and the report rollup follow it).
 */
export async function recordAnswer(
  ctx: AppContext,
  uow: UnitOfWork,
  survey: Row<'csat_surveys'>,
  answer: { rating: number } | { comment: string },
): Promise<void> {
  const now = ctx.clock.now();
  const patch =
    'rating' in answer
      ? { rating: answer.rating, rated_at: now }
      : { comment: answer.comment, commented_at: now };
  await uow.tx.updateTable('csat_surveys').set(patch).where('id', '=', survey.id).execute();
  const next = { ...survey, ...patch };
  const team = await uow.tx
    .selectFrom('conversations')
    .select('team_id')
    .where('id', '=', survey.conversation_id)
    .executeTakeFirst();
  uow.emit(
    survey.account_id,
    'csat.received',
    {
      surveyId: survey.id,
      conversationId: survey.conversation_id,
      contactId: survey.contact_id,
      rating: next.rating!,
      comment: next.comment,
      receivedAt: next.rated_at!,
    },
    team?.team_id ?? null,
  );
}
