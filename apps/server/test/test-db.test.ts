import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/infra/db/database.ts';
import { type TestDatabase, createTestDatabase, testDialects } from './test-db.ts';

const dialects = await testDialects();

/** Everything that defines a schema, in a form where two schemas of different names compare equal. */
async function schemaOf(db: Db, schema: string | undefined): Promise<unknown> {
  const rows = async (q: ReturnType<typeof sql>) => (await q.execute(db.kysely)).rows;
  const migrations = await rows(sql`select name from sb_migrations order by name`);
  if (db.dialect === 'sqlite')
    return {
      migrations,
      objects: await rows(sql`select type, name, tbl_name, sql from sqlite_master order by type, name`),
    };
  const s = schema!;
  const strip = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(s, 'SCHEMA'));
  return strip({
    migrations,
    columns: await rows(sql`select table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema = ${s} order by table_name, column_name`),
    indexes: await rows(sql`select tablename, indexname, indexdef from pg_indexes where schemaname = ${s}
      order by tablename, indexname`),
    constraints:
      await rows(sql`select c.conrelid::regclass::text as rel, c.conname, pg_get_constraintdef(c.oid) as def
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ${s}
      order by rel, c.conname`),
    triggers: await rows(sql`select event_object_table, trigger_name, action_statement
      from information_schema.triggers where trigger_schema = ${s} order by 1, 2, 3`),
    routines: await rows(sql`select routine_name from information_schema.routines where routine_schema = ${s}
      order by 1`),
  });
}

describe.each(dialects)('test databases (%s)', (dialect) => {
  const open: TestDatabase[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.drop();
  });

  it('start from the recorded schema, identical to what the migrator builds', async () => {
    const fast = await createTestDatabase(dialect);
    const migrated = await createTestDatabase(dialect, { migrate: 'migrator' });
    open.push(fast, migrated);
    const a = await schemaOf(fast.db, fast.schema);
    const b = await schemaOf(migrated.db, migrated.schema);
    expect((a as { migrations: unknown[] }).migrations.length).toBeGreaterThan(20);
    expect(a).toEqual(b);
  });

  it('are separate from each other', async () => {
    const one = await createTestDatabase(dialect);
    const two = await createTestDatabase(dialect);
    open.push(one, two);
    await sql`insert into sb_migrations (name, applied_at) values ('9999_probe', 1)`.execute(one.db.kysely);
    const seen = await sql<{
      n: number;
    }>`select count(*) as n from sb_migrations where name = '9999_probe'`.execute(two.db.kysely);
    expect(Number(seen.rows[0]!.n)).toBe(0);
  });
});
