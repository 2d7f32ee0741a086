import type { Kysely } from 'kysely';

/**
 * Custom attributes: the admin's definitions (typed, per entity: contact or conversation) and the
 * conversation's own values (contacts already carry an `attributes` JSON object).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attribute_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attribute_definitions_key_idx')
    .on('attribute_definitions')
    .columns(['account_id', 'entity', 'key'])
    .unique()
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}
