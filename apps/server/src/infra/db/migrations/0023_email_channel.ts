import type { Kysely } from 'kysely';

/**
 * E-mail channels. `email_mailboxes`: per channel, where reading its IMAP mailbox got to (UIDVALIDITY and
 * the last UID processed) and which node holds the one IMAP connection (`holder`, until `lease_until`;
 * another node takes over once the lease runs out). `email_webhook_tokens`: Mailgun's one-time tokens
 * already seen, with the hash of the body they came with (a replay of other bytes is refused).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('email_mailboxes')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sync_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('email_webhook_tokens')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_webhook_tokens_pk', ['channel_id', 'token'])
    .execute();
  await db.schema
    .createIndex('email_webhook_tokens_seen_idx')
    .on('email_webhook_tokens')
    .column('seen_at')
    .execute();
}
