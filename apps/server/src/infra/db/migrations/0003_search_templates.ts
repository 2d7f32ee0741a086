import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { contactDoc, upsertDoc } from './0003_search_templates.frozen.ts';
import type { DialectName, Tx } from '../database.ts';

/**
 * Full-text search, templates, exports and the account time zone.
 *
 * search_docs holds our own stems (see modules/search/text-analysis.ts); each database only indexes them:
 * SQLite with an FTS5 table kept in step by triggers, PostgreSQL with a tsvector column and a GIN index.
 * Existing messages and contacts are indexed here, so search covers all history from the first start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect: DialectName = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const ts = 'bigint' as const;

  await db.schema
    .alterTable('accounts')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();

  if (dialect === 'postgres') {
    await sql`create table search_docs (
      rid bigint generated always as identity primary key,
      account_id text not null,
      kind text not null,
      ref_id text not null,
      conversation_id text,
      contact_id text not null,
      channel_id text,
      author_id text,
      direction text,
      created_at bigint not null,
      term_count integer not null,
      terms text not null,
      tsv tsvector not null
    )`.execute(db);
    await sql`create index search_docs_tsv_idx on search_docs using gin (tsv)`.execute(db);
  } else {
    await sql`create table search_docs (
      rid integer primary key,
      account_id text not null,
      kind text not null,
      ref_id text not null,
      conversation_id text,
      contact_id text not null,
      channel_id text,
      author_id text,
      direction text,
      created_at bigint not null,
      term_count integer not null,
      terms text not null
    )`.execute(db);
    // The stored terms are already lower-case stems of letters and digits: unicode61 only splits on spaces.
    await sql`create virtual table search_fts using fts5(
      terms, content='search_docs', content_rowid='rid', tokenize='unicode61 remove_diacritics 0'
    )`.execute(db);
    await sql`create trigger search_docs_ai after insert on search_docs begin
      insert into search_fts(rowid, terms) values (new.rid, new.terms);
    end`.execute(db);
    await sql`create trigger search_docs_ad after delete on search_docs begin
      insert into search_fts(search_fts, rowid, terms) values ('delete', old.rid, old.terms);
    end`.execute(db);
    await sql`create trigger search_docs_au after update of terms on search_docs begin
      insert into search_fts(search_fts, rowid, terms) values ('delete', old.rid, old.terms);
      insert into search_fts(rowid, terms) values (new.rid, new.terms);
    end`.execute(db);
  }
  await db.schema
    .createIndex('search_docs_ref_uq')
    .on('search_docs')
    .columns(['kind', 'ref_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('search_docs_account_idx')
    .on('search_docs')
    .columns(['account_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('search_docs_conversation_idx')
    .on('search_docs')
    .column('conversation_id')
    .execute();

  await db.schema
    .createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    // 'everyone', 'team:<id>' or 'user:<id>': one portable unique key for "shortcut unique per scope".
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('templates_scope_shortcut_uq', ['account_id', 'scope_key', 'shortcut'])
    .execute();

  await db.schema
    .createTable('exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('visible_teams', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_total', 'integer')
    .addColumn('storage_key', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', ts)
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute();
  await db.schema
    .createIndex('exports_account_idx')
    .on('exports')
    .columns(['account_id', 'created_at'])
    .execute();

  await backfill(db as unknown as Tx, dialect);
}

/** Indexes every existing message and contact (also used to rebuild the index). */
export async function backfill(k: Tx, dialect: DialectName): Promise<void> {
  const BATCH = 1000;
  let after = '';
  for (;;) {
    const rows = await k
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select([
        'm.id',
        'm.account_id',
        'm.conversation_id',
        'm.channel_id',
        'm.author_id',
        'm.direction',
        'm.body',
        'm.created_at',
        'c.contact_id',
      ])
      .where('m.id', '>', after)
      .orderBy('m.id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const files = await k
      .selectFrom('attachments')
      .select(['message_id', 'name'])
      .where(
        'message_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    for (const m of rows) {
      await upsertDoc(k, dialect, {
        accountId: m.account_id,
        kind: 'message',
        refId: m.id,
        conversationId: m.conversation_id,
        contactId: m.contact_id,
        channelId: m.channel_id,
        authorId: m.author_id,
        direction: m.direction,
        createdAt: m.created_at,
        texts: [m.body, ...files.filter((f) => f.message_id === m.id).map((f) => f.name)],
      });
    }
    after = rows[rows.length - 1]!.id;
  }
  after = '';
  for (;;) {
    const rows = await k
      .selectFrom('contacts')
      .select(['id', 'account_id', 'name', 'phone', 'email', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const c of rows) await upsertDoc(k, dialect, contactDoc(c));
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('exports').execute();
  await db.schema.dropTable('templates').execute();
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`drop table search_fts`.execute(db);
  }
  await db.schema.dropTable('search_docs').execute();
  await db.schema.alterTable('accounts').dropColumn('time_zone').execute();
}
