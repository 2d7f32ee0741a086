import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
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

const DB_SOURCES = join(import.meta.dirname, '..', 'src', 'infra', 'db');

/** Changes whenever a migration, the migrator or the way a database is opened changes. */
function schemaFingerprint(): string {
  const hash = createHash('sha256');
  const migrations = join(DB_SOURCES, 'migrations');
  for (const name of readdirSync(migrations).sort())
    hash.update(name).update(readFileSync(join(migrations, name)));
  for (const name of ['migrator.ts', 'database.ts']) hash.update(readFileSync(join(DB_SOURCES, name)));
  return hash.digest('hex').slice(0, 16);
}

let sqliteTemplate: Promise<string> | undefined;

/**
 * A migrated SQLite file that every test database starts as a copy of: migrating costs ~0.1–0.2 s of CPU
 * per test, a copy well under a millisecond. Shared by all test processes of one schema version; the
 * first to need it builds it and renames it into place, so a reader never sees a half-written file.
 */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const path = join(tmpdir(), `sb-sqlite-template-${schemaFingerprint()}.db`);
    if (existsSync(path)) return path;
    const building = join(mkdtempSync(join(tmpdir(), 'sb-template-')), 'template.db');
    const db = openDatabase(`sqlite:${building}`);
    await migrateToLatest(db);
    // Closing the only connection checkpoints the WAL into the file and removes it: one file to copy.
    await db.close();
    renameSync(building, path);
    return path;
  })();
  return sqliteTemplate;
}

let pgScript: Promise<string | undefined> | undefined;

/**
 * The migrations as one SQL script: the real migrator runs once per process on a throwaway schema while
 * every statement it sends is recorded (parameters inlined as literals). Each later test schema is then
 * built in one round trip instead of hundreds, which on a busy CI machine is most of a suite's setup.
 * Answers undefined when a statement cannot be replayed as text; callers then migrate as usual.
 */
function pgMigrationScript(): Promise<string | undefined> {
  pgScript ??= (async () => {
    const schema = newSchemaName();
    await adminQuery(`create schema "${schema}"`);
    const statements: string[] = [];
    let replayable = true;
    const pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 1, options: `-c search_path=${schema}` });
    const kysely = new Kysely<never>({
      dialect: new PostgresDialect({ pool }),
      log(event) {
        if (event.level !== 'query') return;
        const text = inlineParameters(event.query.sql, event.query.parameters);
        if (text === undefined) replayable = false;
        else statements.push(text);
      },
    });
    try {
      await migrateToLatest({ kysely: kysely as never, dialect: 'postgres', close: () => kysely.destroy() });
    } finally {
      await kysely.destroy();
      await adminQuery(`begin; set local synchronous_commit to off; drop schema "${schema}" cascade; commit`);
    }
    return replayable ? statements.join(';\n') : undefined;
  })();
  return pgScript;
}

function inlineParameters(text: string, parameters: readonly unknown[]): string | undefined {
  if (parameters.length === 0) return text;
  // A dollar-quoted body could hold "$1" that is not a placeholder; none of the migrations need that.
  if (text.includes('$$')) return undefined;
  let ok = true;
  const out = text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = parameters[Number(n) - 1];
    if (typeof v === 'string') return pg.escapeLiteral(v);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return String(v);
    if (v === null) return 'null';
    ok = false;
    return '';
  });
  return ok ? out : undefined;
}

function newSchemaName(): string {
  return `t_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}_${Date.now().toString(36)}`;
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
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
export async function createTestDatabase(
  dialect: DialectName,
  opts: {
    /** `migrator`: run the migrator on this database instead of starting from the recorded schema. */
    migrate?: 'migrator';
  } = {},
): Promise<TestDatabase> {
  const others: Db[] = [];
  if (dialect === 'sqlite') {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-db-')), 'test.db');
    if (opts.migrate !== 'migrator') copyFileSync(await sqliteTemplateFile(), file);
    const url = `sqlite:${file}`;
    const db = openDatabase(url);
    if (opts.migrate === 'migrator') await migrateToLatest(db);
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
  const schema = newSchemaName();
  const script = opts.migrate === 'migrator' ? undefined : await pgMigrationScript();
  // One simple-protocol query: every statement in one transaction, as the migrator itself runs them. A test
  // schema need not survive a crash of PostgreSQL, so its commit does not wait for the disk.
  await adminQuery(
    script === undefined
      ? `create schema "${schema}"`
      : `begin; set local synchronous_commit to off; create schema "${schema}"; set local search_path to "${schema}";\n${script};\ncommit`,
  );
  const db = openDatabase(TEST_PG_URL, { schema });
  if (script === undefined) await migrateToLatest(db);
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
      await adminQuery(`begin; set local synchronous_commit to off; drop schema "${schema}" cascade; commit`);
    },
  };
}
