import type { Kysely } from 'kysely';

/**
 * Bots. `bots` holds both kinds: an agent bot has an API token (`api_tokens.bot_id`) and a hidden
 * delivery endpoint (`webhooks.bot_id`, so its events go through the outgoing webhooks' signed, retried,
 * logged deliveries); a menu bot has its menu (JSON). `bot_sessions` is one row per conversation a bot
 * held: open while `ended_at` is null, then why it ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text')
    .addColumn('token_id', 'text')
    .addColumn('channel_ids', 'text', (c) => c.notNull())
    .addColumn('handoff_keywords', 'text', (c) => c.notNull())
    .addColumn('reply_timeout_s', 'integer', (c) => c.notNull())
    .addColumn('menu', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bots_account').on('bots').columns(['account_id', 'created_at']).execute();
  await db.schema
    .createTable('bot_sessions')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('bot_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('bot_sessions_bot')
    .on('bot_sessions')
    .columns(['bot_id', 'ended_at'])
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('bot_id', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('bot_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').dropColumn('bot_id').execute();
  await db.schema.alterTable('api_tokens').dropColumn('bot_id').execute();
  await db.schema.dropTable('bot_sessions').execute();
  await db.schema.dropTable('bots').execute();
}
