import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';

/** The bot behind an API token, checked on every call: a removed or turned-off bot's token stops working. */
export async function botOfToken(
  ctx: AppContext,
  botId: string,
  accountId: string,
): Promise<NonNullable<Principal['bot']>> {
  const b = await ctx.db.kysely
    .selectFrom('bots')
    .select(['id', 'name', 'channel_ids', 'active'])
    .where('id', '=', botId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!b) throw new DomainError('unauthorized', 'Invalid or revoked API token');
  if (b.active !== 1) throw new DomainError('unauthorized', 'This bot is turned off');
  return { id: b.id, name: b.name, channelIds: JSON.parse(b.channel_ids) as string[] };
}
