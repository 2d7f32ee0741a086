import type { Kysely } from 'kysely';

/**
 * Saved inbox views: a named set of conversation list filters, personal to its owner or shared by an
 * admin with one team (modules/views). Listed per owner and per team, by name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('shared_team_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('saved_views_owner_idx')
    .on('saved_views')
    .columns(['account_id', 'owner_id'])
    .execute();
  await db.schema
    .createIndex('saved_views_team_idx')
    .on('saved_views')
    .columns(['account_id', 'shared_team_id'])
    .execute();
}
