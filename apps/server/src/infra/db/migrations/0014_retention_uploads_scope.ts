import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Resource limits and retention (issue 19, points 11–13).
 *
 * - `widget_uploads`: every file a site visitor uploads, so per-channel storage and per-IP daily quotas
 *   can be counted (a fresh anonymous visitor costs nothing, so per-visitor limits alone are bypassed)
 *   and files never sent in a message can be deleted with their bytes.
 * - A message's `clientMessageId` is unique per account, conversation and author instead of per author:
 *   a user who is a member of two accounts and reuses an id in the second must not get the first
 *   account's message back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect: DialectName = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const ts = 'bigint' as const;

  await db.schema
    .createTable('widget_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    // HMAC of the client address under the installation secret: enough to count, never the address.
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('size', ts, (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .execute();
  await db.schema
    .createIndex('widget_uploads_channel_idx')
    .on('widget_uploads')
    .columns(['channel_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('widget_uploads_ip_idx')
    .on('widget_uploads')
    .columns(['channel_id', 'ip_hash', 'created_at'])
    .execute();
  await db.schema
    .createIndex('widget_uploads_unused_idx')
    .on('widget_uploads')
    .columns(['used_at', 'created_at'])
    .execute();
  await db.schema.createIndex('widget_uploads_key_idx').on('widget_uploads').column('storage_key').execute();

  // The retention job finds old rows by these; without them each batch would scan the whole table.
  await db.schema.createIndex('jobs_retention_idx').on('jobs').columns(['status', 'updated_at']).execute();
  await db.schema
    .createIndex('inbound_events_received_idx')
    .on('inbound_events')
    .column('received_at')
    .execute();

  if (dialect === 'postgres') {
    await sql`alter table messages drop constraint messages_client_id_uq`.execute(db);
  } else {
    await dropSqliteClientIdConstraint(db);
  }
  await db.schema
    .createIndex('messages_client_id_uq')
    .on('messages')
    .columns(['account_id', 'conversation_id', 'author_id', 'client_message_id'])
    .unique()
    .execute();
}

/**
 * SQLite cannot drop a table constraint: the table is rebuilt without it. `attachments` refers to
 * `messages`, and dropping a parent with children fails even with deferred foreign keys (the migration
 * runs in a transaction, so they cannot be switched off), hence both tables are rebuilt: the new
 * `attachments` refers to the new `messages`, whose rename carries the reference along. The definitions
 * are read from the database itself, so columns added by any earlier migration are kept.
 */
async function dropSqliteClientIdConstraint(db: Kysely<unknown>): Promise<void> {
  type Def = { type: string; name: string; tbl_name: string; sql: string | null };
  const defs = (
    await sql<Def>`select type, name, tbl_name, sql from sqlite_master
      where tbl_name in ('messages', 'attachments') and sql is not null`.execute(db)
  ).rows;
  const table = (name: string) => defs.find((d) => d.type === 'table' && d.name === name)?.sql ?? '';
  const constraint = /,\s*constraint\s+"?messages_client_id_uq"?\s+unique\s*\([^)]*\)/i;
  const messagesSql = table('messages');
  if (!constraint.test(messagesSql)) throw new Error('messages_client_id_uq not found in the messages table');
  const newMessages = messagesSql
    .replace(constraint, '')
    .replace(/^create table\s+"?messages"?/i, 'create table "messages_rebuilt"');
  const newAttachments = table('attachments')
    .replace(/^create table\s+"?attachments"?/i, 'create table "attachments_rebuilt"')
    .replace(/references\s+"?messages"?\s*\(/i, 'references "messages_rebuilt" (');
  const others = defs.filter((d) => d.type === 'index' || d.type === 'trigger');

  await sql.raw(newMessages).execute(db);
  await sql`insert into messages_rebuilt select * from messages`.execute(db);
  await sql.raw(newAttachments).execute(db);
  await sql`insert into attachments_rebuilt select * from attachments`.execute(db);
  await sql`drop table attachments`.execute(db);
  await sql`drop table messages`.execute(db);
  await sql`alter table messages_rebuilt rename to messages`.execute(db);
  await sql`alter table attachments_rebuilt rename to attachments`.execute(db);
  for (const d of others) await sql.raw(d.sql!).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0014 cannot be undone: restore a backup instead');
}
