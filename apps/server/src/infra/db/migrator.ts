import { type Migration, sql } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_init.ts';
import * as m0002 from './migrations/0002_media.ts';
import * as m0003 from './migrations/0003_search_templates.ts';
import * as m0004 from './migrations/0004_routing.ts';
import * as m0005 from './migrations/0005_inbox_indexes.ts';
import * as m0006 from './migrations/0006_consent.ts';
import * as m0007 from './migrations/0007_channel_center_status.ts';
import * as m0008 from './migrations/0008_uploads.ts';
import * as m0009 from './migrations/0009_reads_counts_contact_notes.ts';
import * as m0010 from './migrations/0010_broadcasts.ts';
import * as m0011 from './migrations/0011_account_users.ts';
import * as m0012 from './migrations/0012_session_idle_token_scope.ts';
import * as m0013 from './migrations/0013_dead_events.ts';
import * as m0014 from './migrations/0014_retention_uploads_scope.ts';
import * as m0016 from './migrations/0016_channel_health.ts';
import * as m0018 from './migrations/0018_webhooks.ts';
import * as m0020 from './migrations/0020_automation.ts';
import * as m0024 from './migrations/0024_reports.ts';
import * as m0025 from './migrations/0025_report_totals.ts';
import * as m0023 from './migrations/0023_email_channel.ts';
import * as m0027 from './migrations/0027_csat.ts';
import * as m0028 from './migrations/0028_bots.ts';
import * as m0029 from './migrations/0029_contact_merge.ts';
import * as m0030 from './migrations/0030_sla.ts';
import * as m0031 from './migrations/0031_contact_match_keys.ts';
import * as m0032 from './migrations/0032_assign_on_reply.ts';
import * as m0033 from './migrations/0033_account_switch_presence.ts';
import * as m0038 from './migrations/0038_contact_imports.ts';
import * as m0040 from './migrations/0040_notifications.ts';
import * as m0041 from './migrations/0041_saved_views.ts';
import * as m0036 from './migrations/0036_custom_attributes.ts';
import * as m0043 from './migrations/0043_template_attachments.ts';
import * as m0044 from './migrations/0044_contact_segments.ts';
import * as m0042 from './migrations/0042_conversation_merge.ts';
import * as m0045 from './migrations/0045_event_sequencer.ts';
import * as m0046 from './migrations/0046_search_time_rowid.ts';

const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_media': m0002,
  '0003_search_templates': m0003,
  '0004_routing': m0004,
  '0005_inbox_indexes': m0005,
  '0006_consent': m0006,
  '0007_channel_center_status': m0007,
  '0008_uploads': m0008,
  '0009_reads_counts_contact_notes': m0009,
  '0010_broadcasts': m0010,
  '0011_account_users': m0011,
  '0012_session_idle_token_scope': m0012,
  '0013_dead_events': m0013,
  '0014_retention_uploads_scope': m0014,
  '0016_channel_health': m0016,
  '0018_webhooks': m0018,
  '0020_automation': m0020,
  '0023_email_channel': m0023,
  '0024_reports': m0024,
  '0025_report_totals': m0025,
  '0027_csat': m0027,
  '0028_bots': m0028,
  '0029_contact_merge': m0029,
  '0030_sla': m0030,
  '0031_contact_match_keys': m0031,
  '0032_assign_on_reply': m0032,
  '0033_account_switch_presence': m0033,
  '0038_contact_imports': m0038,
  '0040_notifications': m0040,
  '0041_saved_views': m0041,
  '0036_custom_attributes': m0036,
  '0043_template_attachments': m0043,
  '0044_contact_segments': m0044,
  '0042_conversation_merge': m0042,
  '0045_event_sequencer': m0045,
  '0046_search_time_rowid': m0046,
};

const LOCK_ID = 7_262_010; // arbitrary, constant: serialises migrations of all nodes on one PostgreSQL database

/**
 * Applies pending migrations in one transaction. On PostgreSQL a transaction-scoped advisory lock lets
 * several nodes start together; DDL is transactional on both dialects, so a failed migration leaves nothing
 * half-applied. Kysely's own Migrator is not used because it discovers its bookkeeping tables by
 * introspecting every schema of the database, which races with other schemas being created or dropped.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Every start asks; on a database that has them all the answer costs one query, without the
  // transaction, the lock and the pragmas (a start that finds something missing takes the full path,
  // which decides again under the lock).
  if (await allApplied(db)) return [];
  // SQLite can change a constraint only by rebuilding the table, which needs foreign keys off (the pragma
  // is ignored inside a transaction); every key is checked again before the migrations commit.
  const sqlite = db.dialect === 'sqlite';
  if (sqlite) await sql`pragma foreign_keys = off`.execute(db.kysely);
  try {
    return await apply(db);
  } finally {
    if (sqlite) await sql`pragma foreign_keys = on`.execute(db.kysely);
  }
}

async function allApplied(db: Db): Promise<boolean> {
  let rows: { name: string }[];
  try {
    rows = (await sql<{ name: string }>`select name from sb_migrations`.execute(db.kysely)).rows;
  } catch {
    return false; // no bookkeeping table yet: a new database
  }
  const done = new Set(rows.map((r) => r.name));
  return Object.keys(migrations).every((name) => done.has(name));
}

async function apply(db: Db): Promise<string[]> {
  return db.kysely.transaction().execute(async (tx) => {
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_ID})`.execute(tx);
    const bookkeeping = sql`create table if not exists sb_migrations (name text primary key, applied_at bigint not null)`;
    await bookkeeping.execute(tx);
    const done = new Set(
      (await sql<{ name: string }>`select name from sb_migrations`.execute(tx)).rows.map((r) => r.name),
    );
    const applied: string[] = [];
    for (const name of Object.keys(migrations).sort()) {
      if (done.has(name)) continue;
      await migrations[name]!.up(tx as never);
      await sql`insert into sb_migrations (name, applied_at) values (${name}, ${Date.now()})`.execute(tx);
      applied.push(name);
    }
    if (db.dialect === 'sqlite' && applied.length) {
      const broken = (await sql`pragma foreign_key_check`.execute(tx)).rows;
      if (broken.length)
        throw new Error(`Migration left broken foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
    }
    return applied;
  });
}
