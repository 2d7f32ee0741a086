import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { notFound } from '../../http/errors.ts';
import type { ChannelRuntime } from './channel-adapter.ts';
import { webhookSegmentOf } from './channel-registry.ts';

export function toRuntime(ctx: AppContext, row: Row<'channels'>): ChannelRuntime {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    name: row.name,
    settings: JSON.parse(row.settings),
    credentials: ctx.secrets.openJson<Record<string, string>>(row.credentials_enc),
  };
}

/** Loads a channel; scoped to the account when one is given (another account's channel is a 404). */
export async function loadChannel(
  ctx: AppContext,
  id: string,
  accountId?: string,
): Promise<{ row: Row<'channels'>; runtime: ChannelRuntime }> {
  const row = await ctx.db.kysely
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', id)
    .$if(accountId !== undefined, (q) => q.where('account_id', '=', accountId!))
    .executeTakeFirst();
  if (!row) throw notFound('Channel');
  return { row, runtime: toRuntime(ctx, row) };
}

export function webhookUrl(ctx: AppContext, origin: string, type: string, id: string): string {
  return `${ctx.config.publicUrl ?? origin}/webhooks/${webhookSegmentOf(type)}/${id}`;
}
