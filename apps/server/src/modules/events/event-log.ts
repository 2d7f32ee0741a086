import type { AccountEvent } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';

/** Events after `afterSeq`, oldest first: what a reconnecting client missed. */
export async function eventsSince(
  ctx: AppContext,
  accountId: string,
  afterSeq: number,
  limit = 1000,
): Promise<AccountEvent[]> {
  const rows = await ctx.db.kysely
    .selectFrom('account_events')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('seq', '>', afterSeq)
    // Unnumbered events (PostgreSQL, between a commit and its sequencing) are not part of the log yet.
    .$narrowType<{ seq: number }>()
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    seq: r.seq,
    type: r.type as AccountEvent['type'],
    teamId: r.team_id,
    payload: JSON.parse(r.payload),
    createdAt: r.created_at,
  }));
}
