import type { AppContext } from '../../app-context.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleTeamIds } from './conversation-access.ts';

/**
 * The ids of a contact's conversations this principal may open, as a subquery: the same rule as
 * loadVisibleConversation (an operator sees unteamed conversations and their teams', a bot its channels').
 */
export async function visibleContactConversations(ctx: AppContext, p: Principal, contactId: string) {
  const teams = await visibleTeamIds(ctx, p);
  let q = ctx.db.kysely
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', p.accountId)
    .where('contact_id', '=', contactId);
  if (p.bot) {
    const channels = p.bot.channelIds;
    q = channels.length ? q.where('channel_id', 'in', channels) : q.where((eb) => eb.val(false));
  }
  if (teams)
    q = q.where((eb) =>
      eb.or([eb('team_id', 'is', null), ...(teams.length ? [eb('team_id', 'in', teams)] : [])]),
    );
  return q;
}
