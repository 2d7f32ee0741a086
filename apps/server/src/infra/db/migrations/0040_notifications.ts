import type { Kysely } from 'kysely';

/**
 * In-app notifications (an operator @mentioned in a note, a conversation handed over with a comment):
 * one row per recipient, listed newest first, counted while unread.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('body', 'text')
    .addColumn('read_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['account_id', 'user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_conversation_idx')
    .on('notifications')
    .column('conversation_id')
    .execute();
}
