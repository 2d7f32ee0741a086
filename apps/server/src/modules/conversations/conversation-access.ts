import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../lib/domain-error.ts';
import { hasRole, type Principal } from '../auth/principal.ts';

/** Team ids an operator is limited to; undefined = sees the whole account (supervisor, admin). */
export async function visibleTeamIds(ctx: AppContext, p: Principal): Promise<string[] | undefined> {
  // A bot is limited by its channels instead (loadVisibleConversation).
  if (hasRole(p, 'supervisor') || p.bot) return undefined;
  const rows = await ctx.db.kysely
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', p.userId)
    .where('account_id', '=', p.accountId)
    .execute();
  return rows.map((r) => r.team_id);
}

/** The conversation row if this principal may see it; otherwise 404 (never "forbidden": no existence leak). */
export async function loadVisibleConversation(ctx: AppContext, p: Principal, id: string) {
  const row = await ctx.db.kysely
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', p.accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Conversation');
  if (p.bot && !p.bot.channelIds.includes(row.channel_id)) throw notFound('Conversation');
  const teams = await visibleTeamIds(ctx, p);
  if (teams && row.team_id !== null && !teams.includes(row.team_id)) throw notFound('Conversation');
  return row;
}
