import type { EventPayload } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';

/**
 * The CSAT rollup (report_csat): one row per answered survey, i.e. per resolved cycle, holding its
 * latest rating, credited to the cycle's assignee and team at the resolution (docs/metrics.md).
 * Fed by `csat.received` in the answering transaction; rebuilt from the surveys.
 */
export async function applyCsatReceived(tx: Tx, p: EventPayload<'csat.received'>): Promise<void> {
  const s = await tx.selectFrom('csat_surveys').selectAll().where('id', '=', p.surveyId).executeTakeFirst();
  if (s) await upsertCsat(tx, s);
}

function rowOf(s: Row<'csat_surveys'>): Row<'report_csat'> | null {
  if (s.rating === null || s.rated_at === null) return null;
  return {
    survey_id: s.id,
    account_id: s.account_id,
    conversation_id: s.conversation_id,
    channel_id: s.channel_id,
    team_id: s.team_id,
    user_id: s.user_id,
    rating: s.rating,
    at: s.rated_at,
  };
}

async function upsertCsat(tx: Tx, s: Row<'csat_surveys'>): Promise<void> {
  const row = rowOf(s);
  if (!row) return;
  await tx
    .insertInto('report_csat')
    .values(row)
    .onConflict((oc) => oc.column('survey_id').doUpdateSet({ rating: row.rating, at: row.at }))
    .execute();
}

/** The rebuild: the account's answered surveys are the history (they are kept with their conversation). */
export async function rebuildCsat(tx: Tx, accountId: string): Promise<number> {
  await tx.deleteFrom('report_csat').where('account_id', '=', accountId).execute();
  const rows = (
    await tx
      .selectFrom('csat_surveys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('rating', 'is not', null)
      .execute()
  )
    .map(rowOf)
    .filter((r): r is Row<'report_csat'> => r !== null);
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('report_csat')
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.length;
}
