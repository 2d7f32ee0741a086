import type { Kysely } from 'kysely';

/**
 * Files an operator uploaded from the composer before sending them. A reply refers to an upload by id;
 * `used_at` is set when one does, so uploads never sent (a closed tab, a removed attachment) can be found
 * and deleted later together with their stored bytes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ts = 'bigint' as const;
  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', ts, (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute();
  await db.schema
    .createIndex('uploads_unused_idx')
    .on('uploads')
    .columns(['account_id', 'used_at', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('uploads').execute();
}
