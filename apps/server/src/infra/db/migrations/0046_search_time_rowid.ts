import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * SQLite: search_docs.rid (the FTS5 rowid) ordered by time. A document's row id becomes
 * `floor(created_at / 1000) * 2^20 + n` (n counts the documents of that second in indexing order), so
 * newest-first search is FTS5's own `order by rowid desc limit k` — it walks the term's doclist from its
 * end and stops after k — and a date filter is a rowid range inside the full-text lookup instead of a
 * scan over every newer match. 2^20 per second keeps row ids below 2^53 (exact in JavaScript) until
 * the year 2242. New documents get theirs from modules/search/doc-rowid.ts.
 *
 * The table is copied with the new ids, its indexes and triggers recreated and the FTS5 index rebuilt
 * from it. PostgreSQL orders by created_at itself and is unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create table search_docs_by_time (
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
  await sql`insert into search_docs_by_time
    select (created_at / 1000) * 1048576
        + row_number() over (partition by created_at / 1000 order by created_at, rid) - 1,
      account_id, kind, ref_id, conversation_id, contact_id, channel_id, author_id, direction, created_at,
      term_count, terms
    from search_docs`.execute(db);
  await sql`drop table search_docs`.execute(db);
  await sql`alter table search_docs_by_time rename to search_docs`.execute(db);
  await sql`create unique index search_docs_ref_uq on search_docs (kind, ref_id)`.execute(db);
  await sql`create index search_docs_account_idx on search_docs (account_id, created_at)`.execute(db);
  await sql`create index search_docs_conversation_idx on search_docs (conversation_id)`.execute(db);
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
  await sql`insert into search_fts(search_fts) values ('rebuild')`.execute(db);
}
