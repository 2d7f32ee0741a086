import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { notFound } from '../../lib/domain-error.ts';
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

export interface LoadedChannel {
  row: Row<'channels'>;
  runtime: ChannelRuntime;
}

/**
 * The one channel loader: the row with its settings parsed and credentials opened, scoped to the account
 * when one is given; undefined when there is none.
 */
export async function findChannel(
  ctx: AppContext,
  id: string,
  accountId?: string,
): Promise<LoadedChannel | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', id)
    .$if(accountId !== undefined, (q) => q.where('account_id', '=', accountId!))
    .executeTakeFirst();
  return row && { row, runtime: toRuntime(ctx, row) };
}

/** Loads a channel; scoped to the account when one is given (another account's channel is a 404). */
export async function loadChannel(ctx: AppContext, id: string, accountId?: string): Promise<LoadedChannel> {
  const channel = await findChannel(ctx, id, accountId);
  if (!channel) throw notFound('Channel');
  return channel;
}

/** The channel a job works for; its rows outlive it only by mistake, so a missing one fails the job. */
export async function loadJobChannel(ctx: AppContext, id: string): Promise<LoadedChannel> {
  const channel = await findChannel(ctx, id);
  if (!channel) throw new Error(`channel ${id} no longer exists`);
  return channel;
}

export function webhookUrl(ctx: AppContext, origin: string, type: string, id: string): string {
  return `${ctx.config.publicUrl ?? origin}/webhooks/${webhookSegmentOf(type)}/${id}`;
}
