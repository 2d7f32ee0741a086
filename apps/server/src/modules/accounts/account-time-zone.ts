import type { AppContext } from '../../app-context.ts';
import { isValidTimeZone } from '../../lib/zoned-time.ts';

/** The account's IANA zone for dates people read (exports, reports); UTC if unset or unknown here. */
export async function accountTimeZone(ctx: AppContext, accountId: string): Promise<string> {
  const row = await ctx.db.kysely
    .selectFrom('accounts')
    .select('time_zone')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row && isValidTimeZone(row.time_zone) ? row.time_zone : 'UTC';
}
