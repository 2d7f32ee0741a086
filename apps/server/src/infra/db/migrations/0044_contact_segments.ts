import type { Kysely } from 'kysely';

/** Saved contact segments: a named contact filter (JSON), unique by name in an account. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_segments_name_idx')
    .on('contact_segments')
    .columns(['account_id', 'name'])
    .unique()
    .execute();
}
