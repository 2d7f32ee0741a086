import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomToken } from '../src/infra/crypto/ids.ts';
import { type DialectName, type Db, openDatabase } from '../src/infra/db/database.ts';
import { migrateToLatest } from '../src/infra/db/migrator.ts';

export const TEST_PG_URL = process.env.SWITCHBOARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let pgAvailable: boolean | undefined;

async function postgresReachable(): Promise<boolean> {
  if (pgAvailable !== undefined) return pgAvailable;
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    pgAvailable = true;
  } catch {
    pgAvailable = false;
  } finally {
    await client.end().catch(() => {});
  }
  // CI must exercise PostgreSQL: a silently skipped dialect would hide half the product.
  if (!pgAvailable && process.env.CI) throw new Error(`PostgreSQL is required in CI (${TEST_PG_URL})`);
  return pgAvailable;
}

/** The dialects every database-backed suite runs on: SQLite always, PostgreSQL when reachable. */
export async function testDialects(): Promise<DialectName[]> {
  return (await postgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  db: Db;
  /** DATABASE_URL a child process can use to reach the same data (PostgreSQL: plus PGOPTIONS schema). */
  url: string;
  schema?: string;
  /** Opens another pool on the same database (a second "node"). */
  openAnother(): Db;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a temp SQLite file or a private schema in the test PostgreSQL database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const others: Db[] = [];
  if (dialect === 'sqlite') {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'sb-db-')), 'test.db')}`;
    const db = openDatabase(url);
    await migrateToLatest(db);
    return {
      db,
      url,
      openAnother: () => {
        const d = openDatabase(url);
        others.push(d);
        return d;
      },
      drop: async () => {
        await Promise.all([db.close(), ...others.map((o) => o.close())]);
      },
    };
  }
  const schema = `t_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const db = openDatabase(TEST_PG_URL, { schema });
  await migrateToLatest(db);
  return {
    db,
    url: TEST_PG_URL,
    schema,
    openAnother: () => {
      const d = openDatabase(TEST_PG_URL, { schema });
      others.push(d);
      return d;
    },
    drop: async () => {
      await Promise.all([db.close(), ...others.map((o) => o.close())]);
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema "${schema}" cascade`);
      await c.end();
    },
  };
}
