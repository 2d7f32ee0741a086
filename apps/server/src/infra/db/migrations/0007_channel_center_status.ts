import type { Kysely } from 'kysely';

/**
 * An admin's online/offline override per channel. It wins over the account-wide one in `center_status`
 * ("auto" there or here means "not forced at this level"); a channel without a row follows the account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_center_status')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_center_status').execute();
}
