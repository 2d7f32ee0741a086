import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { newId } from '../../crypto/ids.ts';

/**
 * Users belong to one account (issue 19: a user shared by e-mail let one tenant's admin choose the
 * password another tenant's member signs in with). A user who was a member of several accounts is
 * split into one user per membership: the first membership keeps the user id, every other one gets a
 * new user with the same e-mail, name and password hash (copied so that everybody can still sign in
 * after the upgrade; from now on the passwords diverge), and every row of that account that named the
 * old id is rewritten to the new one.
 *
 * Also: forced password change, TOTP two-factor sign-in with recovery codes, one-time access links,
 * pending logins between the password and the code, the account's "require two-factor" setting and
 * the login throttle's counters (used when no Redis is configured).
 */

/** Every column that holds a user id, each in a table with `account_id` (so the rewrite stays in that account). */
const USER_COLUMNS: [table: string, column: string][] = [
  ['memberships', 'user_id'],
  ['team_members', 'user_id'],
  ['conversations', 'assignee_id'],
  ['messages', 'author_id'],
  ['sessions', 'user_id'],
  ['api_tokens', 'user_id'],
  ['audit_log', 'user_id'],
  ['templates', 'owner_id'],
  ['templates', 'created_by'],
  ['exports', 'user_id'],
  ['center_status', 'updated_by'],
  ['channel_center_status', 'updated_by'],
  ['conversation_assignments', 'user_id'],
  ['conversation_assignments', 'previous_user_id'],
  ['conversation_assignments', 'actor_id'],
  ['refused_sends', 'actor_id'],
  ['conversation_reads', 'user_id'],
  ['contact_notes', 'author_id'],
  ['uploads', 'user_id'],
  ['broadcasts', 'created_by'],
  ['search_docs', 'author_id'],
];

/** JSON text that may carry user ids (event payloads for live consoles, pending jobs, audit details). */
const JSON_COLUMNS: [table: string, column: string][] = [
  ['account_events', 'payload'],
  ['jobs', 'payload'],
  ['audit_log', 'details'],
  ['messages', 'meta'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = 'bigint' as const;

  // Users without any membership cannot sign in anywhere and no code path makes them; drop what they left.
  const orphans = sql`select id from users u where not exists (select 1 from memberships m where m.user_id = u.id)`;
  await sql`delete from sessions where user_id in (${orphans})`.execute(db);
  await sql`delete from api_tokens where user_id in (${orphans})`.execute(db);
  await sql`delete from users where id in (${orphans})`.execute(db);
  // Each user keeps the account they joined first.
  const firstAccount = sql`(select m.account_id from memberships m where m.user_id = users.id
    order by m.created_at, m.account_id limit 1)`;

  if (postgres) {
    // PostgreSQL names a column's unique constraint <table>_<column>_key.
    await sql`alter table users drop constraint users_email_key`.execute(db);
    await sql`alter table users add column account_id text references accounts (id)`.execute(db);
    await sql`update users set account_id = ${firstAccount}`.execute(db);
    await sql`alter table users alter column account_id set not null`.execute(db);
  } else {
    // SQLite cannot drop a column's UNIQUE: rebuild the table (the migrator runs SQLite migrations with
    // foreign keys off and checks them all before commit, SQLite's documented procedure).
    await sql`create table users_new (
      id text primary key,
      account_id text not null references accounts (id),
      email text not null,
      name text not null,
      password_hash text not null,
      created_at bigint not null,
      updated_at bigint not null
    )`.execute(db);
    await sql`insert into users_new (id, account_id, email, name, password_hash, created_at, updated_at)
      select id, ${firstAccount}, email, name, password_hash, created_at, updated_at from users`.execute(db);
    await sql`drop table users`.execute(db);
    await sql`alter table users_new rename to users`.execute(db);
  }
  await splitSharedUsers(db);
  await db.schema
    .createIndex('users_account_email_uq')
    .on('users')
    .columns(['account_id', 'email'])
    .unique()
    .execute();
  // Sign-in looks a person up by e-mail across accounts (then asks which one when several match).
  await db.schema.createIndex('users_email_idx').on('users').column('email').execute();
  // One membership per user, by construction.
  await db.schema.createIndex('memberships_user_uq').on('memberships').column('user_id').unique().execute();

  await db.schema
    .alterTable('users')
    .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('totp_secret_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_pending_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', ts).execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', ts).execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('login_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', ts, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pk', ['key', 'window_start'])
    .execute();
  await db.schema
    .createIndex('login_throttle_expires_idx')
    .on('login_throttle')
    .column('expires_at')
    .execute();
}

/** Every further membership of a user becomes a user of its own in that account. */
async function splitSharedUsers(db: Kysely<unknown>): Promise<void> {
  const extra = (
    await sql<{ user_id: string; account_id: string }>`
      select m.user_id, m.account_id from memberships m join users u on u.id = m.user_id
      where m.account_id <> u.account_id order by m.user_id, m.created_at`.execute(db)
  ).rows;
  const now = Date.now();
  for (const m of extra) {
    const id = newId(now);
    await sql`insert into users (id, account_id, email, name, password_hash, created_at, updated_at)
      select ${id}, ${m.account_id}, email, name, password_hash, created_at, ${now} from users where id = ${m.user_id}`.execute(
      db,
    );
    for (const [table, column] of USER_COLUMNS) {
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${id}
        where account_id = ${m.account_id} and ${sql.ref(column)} = ${m.user_id}`.execute(db);
    }
    await sql`update audit_log set target_id = ${id}
      where account_id = ${m.account_id} and target_type = 'user' and target_id = ${m.user_id}`.execute(db);
    for (const [table, column] of JSON_COLUMNS) {
      // UUIDv7 text never occurs by accident inside other text, so a plain replace is exact.
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = replace(${sql.ref(column)}, ${m.user_id}, ${id})
        where account_id = ${m.account_id} and ${sql.ref(column)} like ${`%${m.user_id}%`}`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Splitting users per account cannot be reverted');
}
