import type { Kysely } from 'kysely';

/**
 * A channel's health as its admin sees it: when a provider first reached its webhook (Meta's handshake
 * or a signed delivery — until then the callback URL was probably not saved at the provider yet), and an
 * issue the provider reported for the whole channel (`token_invalid`: the access token stopped working),
 * with the provider's words and when. The issue clears when an admin updates the settings or a send
 * succeeds again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channels').addColumn('webhook_seen_at', 'bigint').execute();
  await db.schema.alterTable('channels').addColumn('health_issue', 'text').execute();
  await db.schema.alterTable('channels').addColumn('health_detail', 'text').execute();
  await db.schema.alterTable('channels').addColumn('health_at', 'bigint').execute();
}
