import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialects } from '../../../../test/test-db.ts';
import { hashPassword, verifyPassword } from '../../../modules/auth/password.ts';
import { migrateToLatest } from '../migrator.ts';
import * as m0001 from './0001_init.ts';
import * as m0002 from './0002_media.ts';
import * as m0003 from './0003_search_templates.ts';
import * as m0004 from './0004_routing.ts';
import * as m0005 from './0005_inbox_indexes.ts';
import * as m0006 from './0006_consent.ts';
import * as m0007 from './0007_channel_center_status.ts';
import * as m0008 from './0008_uploads.ts';
import * as m0009 from './0009_reads_counts_contact_notes.ts';
import * as m0010 from './0010_broadcasts.ts';

const BEFORE = { m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010 };
const NAMES = [
  '0001_init',
  '0002_media',
  '0003_search_templates',
  '0004_routing',
  '0005_inbox_indexes',
  '0006_consent',
  '0007_channel_center_status',
  '0008_uploads',
  '0009_reads_counts_contact_notes',
  '0010_broadcasts',
];

const dialects = await testDialects();

/**
 * Upgrading a database where one user was a member of two accounts (the old global users): the user is
 * split in two, each keeps signing in with the old password, and every row of account B that named the
 * user now names B's copy, while account A's rows keep the original id.
 */
describe.each(dialects)('migration 0011: one user per account (%s)', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => {
    await t.drop();
  });

  it('splits a shared user per membership and rewrites every reference in the second account', async () => {
    t = await createTestDatabase(dialect);
    const db = t.db.kysely as unknown as Kysely<unknown>;
    // Rebuild the schema as it was before 0011 in a fresh namespace: drop everything the helper migrated.
    await resetToBefore0011(t);
    const now = Date.now();
    const hash = await hashPassword('shared old password');
    const run = (q: ReturnType<typeof sql>) => q.execute(db);
    await run(
      sql`insert into accounts (id, name, event_seq, created_at) values ('acc-a', 'A', 1, ${now}), ('acc-b', 'B', 1, ${now})`,
    );
    await run(sql`insert into users (id, email, name, password_hash, created_at, updated_at)
      values ('u-shared', 'sam@example.com', 'Sam', ${hash}, ${now}, ${now}), ('u-solo', 'solo@example.com', 'Solo', ${hash}, ${now}, ${now})`);
    await run(sql`insert into memberships (account_id, user_id, role, availability, capacity, active, created_at, updated_at)
      values ('acc-a', 'u-shared', 'admin', 'online', 10, 1, ${now}, ${now}),
             ('acc-b', 'u-shared', 'operator', 'offline', 5, 1, ${now + 1}, ${now + 1}),
             ('acc-a', 'u-solo', 'operator', 'offline', 10, 1, ${now}, ${now})`);
    await run(
      sql`insert into teams (id, account_id, name, created_at) values ('team-b', 'acc-b', 'Sales', ${now})`,
    );
    await run(
      sql`insert into team_members (team_id, user_id, account_id) values ('team-b', 'u-shared', 'acc-b')`,
    );
    await run(sql`insert into sessions (id, token_hash, user_id, account_id, csrf_token, created_at, expires_at)
      values ('s-a', 'ha', 'u-shared', 'acc-a', 'c', ${now}, ${now + 1e9}), ('s-b', 'hb', 'u-shared', 'acc-b', 'c', ${now}, ${now + 1e9})`);
    await run(sql`insert into api_tokens (id, account_id, user_id, name, token_hash, prefix, created_at)
      values ('t-b', 'acc-b', 'u-shared', 'ci', 'th', 'sbt_x', ${now})`);
    await run(sql`insert into channels (id, account_id, type, name, settings, credentials_enc, active, created_at, updated_at)
      values ('ch-b', 'acc-b', 'api', 'API', '{}', 'x', 1, ${now}, ${now})`);
    await run(
      sql`insert into contacts (id, account_id, attributes, created_at, updated_at) values ('ct-b', 'acc-b', '{}', ${now}, ${now})`,
    );
    await run(sql`insert into conversations (id, account_id, channel_id, contact_id, assignee_id, status, priority, last_activity_at, created_at, updated_at)
      values ('cv-b', 'acc-b', 'ch-b', 'ct-b', 'u-shared', 'open', 'none', ${now}, ${now}, ${now})`);
    await run(sql`insert into messages (id, account_id, conversation_id, channel_id, direction, author_kind, author_id, content_kind, body, private, meta, created_at, updated_at)
      values ('msg-b', 'acc-b', 'cv-b', 'ch-b', 'out', 'user', 'u-shared', 'text', 'hi', 0, '{}', ${now}, ${now})`);
    await run(sql`insert into contact_notes (id, account_id, contact_id, author_id, body, created_at, updated_at)
      values ('n-b', 'acc-b', 'ct-b', 'u-shared', 'note', ${now}, ${now})`);
    await run(sql`insert into conversation_reads (user_id, conversation_id, account_id, last_read_at, last_read_message_id, updated_at)
      values ('u-shared', 'cv-b', 'acc-b', ${now}, 'msg-b', ${now})`);
    await run(sql`insert into conversation_assignments (id, account_id, conversation_id, user_id, reason, actor_id, created_at)
      values ('as-b', 'acc-b', 'cv-b', 'u-shared', 'manual', 'u-shared', ${now})`);
    await run(sql`insert into audit_log (id, account_id, user_id, action, target_type, target_id, details, created_at)
      values ('al-a', 'acc-a', 'u-shared', 'user.created', 'user', 'u-shared', '{}', ${now}),
             ('al-b', 'acc-b', 'u-shared', 'user.updated', 'user', 'u-shared', '{}', ${now})`);
    await run(sql`insert into account_events (account_id, seq, type, payload, created_at)
      values ('acc-b', 1, 'presence.updated', ${JSON.stringify({ userId: 'u-shared', availability: 'online' })}, ${now}),
             ('acc-a', 1, 'presence.updated', ${JSON.stringify({ userId: 'u-shared', availability: 'online' })}, ${now})`);

    expect((await migrateToLatest(t.db))[0]).toBe('0011_account_users');

    const k = t.db.kysely;
    const users = await k
      .selectFrom('users')
      .select(['id', 'account_id', 'email', 'password_hash'])
      .orderBy('email')
      .execute();
    expect(users).toHaveLength(3);
    const sams = users.filter((u) => u.email === 'sam@example.com');
    const inA = sams.find((u) => u.account_id === 'acc-a')!;
    const inB = sams.find((u) => u.account_id === 'acc-b')!;
    expect(inA.id).toBe('u-shared');
    expect(inB.id).not.toBe('u-shared');
    expect(await verifyPassword(inB.password_hash, 'shared old password')).toBe(true);
    expect(users.find((u) => u.email === 'solo@example.com')!.account_id).toBe('acc-a');

    const one = async (q: ReturnType<typeof sql<{ v: string | null }>>) =>
      (await q.execute(k)).rows.map((r) => r.v);
    expect(await one(sql`select user_id as v from memberships where account_id = 'acc-b'`)).toEqual([inB.id]);
    expect(
      await one(sql`select user_id as v from memberships where account_id = 'acc-a' and role = 'admin'`),
    ).toEqual(['u-shared']);
    expect(await one(sql`select user_id as v from team_members`)).toEqual([inB.id]);
    expect(await one(sql`select user_id as v from sessions where id = 's-b'`)).toEqual([inB.id]);
    expect(await one(sql`select user_id as v from sessions where id = 's-a'`)).toEqual(['u-shared']);
    expect(await one(sql`select user_id as v from api_tokens`)).toEqual([inB.id]);
    expect(await one(sql`select assignee_id as v from conversations`)).toEqual([inB.id]);
    expect(await one(sql`select author_id as v from messages`)).toEqual([inB.id]);
    expect(await one(sql`select author_id as v from contact_notes`)).toEqual([inB.id]);
    expect(await one(sql`select user_id as v from conversation_reads`)).toEqual([inB.id]);
    expect(await one(sql`select actor_id as v from conversation_assignments`)).toEqual([inB.id]);
    expect(await one(sql`select target_id as v from audit_log order by id`)).toEqual(['u-shared', inB.id]);
    expect(await one(sql`select payload as v from account_events order by account_id`)).toEqual([
      JSON.stringify({ userId: 'u-shared', availability: 'online' }),
      JSON.stringify({ userId: inB.id, availability: 'online' }),
    ]);
    // The same e-mail in one account twice is refused from now on; one membership per user too.
    await expect(
      sql`insert into users (id, account_id, email, name, password_hash, created_at, updated_at)
        values ('dup', 'acc-a', 'sam@example.com', 'x', 'x', 0, 0)`.execute(k),
    ).rejects.toThrow();
  });
});

/** Drops the freshly migrated schema's tables and applies 0001–0010 only (recorded as applied). */
async function resetToBefore0011(t: TestDatabase): Promise<void> {
  const db = t.db.kysely as unknown as Kysely<unknown>;
  if (t.db.dialect === 'postgres') {
    await sql`drop schema ${sql.id(t.schema!)} cascade`.execute(db);
    await sql`create schema ${sql.id(t.schema!)}`.execute(db);
  } else {
    await sql`pragma foreign_keys = off`.execute(db);
    const objects = (
      await sql<{
        name: string;
        type: string;
      }>`select name, type from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'search_fts_%'`.execute(
        db,
      )
    ).rows;
    for (const o of objects) await sql`drop table if exists ${sql.table(o.name)}`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
  }
  await sql`create table sb_migrations (name text primary key, applied_at bigint not null)`.execute(db);
  const ups = Object.values(BEFORE);
  for (const [i, m] of ups.entries()) {
    await m.up(db);
    await sql`insert into sb_migrations (name, applied_at) values (${NAMES[i]!}, ${Date.now()})`.execute(db);
  }
}
