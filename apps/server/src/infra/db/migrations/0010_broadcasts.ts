import type { Kysely } from 'kysely';

/**
 * Broadcasts: one message to many contacts of a channel, each recipient judged on its own by the
 * messaging window and consent. The recipient rows are the work list (outcome `pending` until the
 * broadcast job decides) and, afterwards, the report of who got it and why not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('client_broadcast_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('broadcasts_account_created')
    .on('broadcasts')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('broadcasts_client_id')
    .on('broadcasts')
    .columns(['account_id', 'created_by', 'client_broadcast_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('broadcast_recipients')
    .addColumn('broadcast_id', 'text', (c) => c.notNull().references('broadcasts.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('broadcast_recipients_pk', ['broadcast_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('broadcast_recipients_outcome')
    .on('broadcast_recipients')
    .columns(['broadcast_id', 'outcome', 'contact_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('broadcast_recipients').execute();
  await db.schema.dropTable('broadcasts').execute();
}
