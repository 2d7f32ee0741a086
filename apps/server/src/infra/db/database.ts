import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type SQLiteModule from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import { lazyRequire } from '../../lib/lazy-require.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';

// Only the configured database's driver is loaded: pg alone costs a SQLite installation's start ~0.1 s.
const sqliteDriver = lazyRequire<typeof SQLiteModule>('better-sqlite3');
const pgDriver = lazyRequire<typeof pgModule>('pg');
let pgTypesSet = false;

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

export type Tx = Kysely<Database>;

export interface OpenOptions {
  /** PostgreSQL only: schema to use (tests isolate each suite in its own schema). */
  schema?: string;
  poolSize?: number;
}

/** Opens the database named by a `sqlite:<path>` or `postgres://` URL. */
export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const SQLite = sqliteDriver();
    const sqlite = new SQLite(path === ':memory:' ? ':memory:' : resolve(path));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // SQLite's lower() folds ASCII only; searches that must find "Соколова" by "соколова" use this one,
    // which folds like PostgreSQL's lower() in a UTF-8 locale.
    sqlite.function('unicode_lower', { deterministic: true }, (v: unknown) =>
      typeof v === 'string' ? v.toLowerCase() : v,
    );
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
  }
  const pg = pgDriver();
  if (!pgTypesSet) {
    // bigint (int8) columns hold epoch-ms timestamps and counters, well inside 2^53: parse them as numbers.
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    pgTypesSet = true;
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out one (inside a transaction, between two queries) when PostgreSQL shuts down:
  // pg emits 'error' on it with nobody listening. Its next query fails instead (→ 503), and the pool
  // discards it on release because it is no longer queryable.
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
}

/** Unique-constraint violation on either dialect (used to turn races on idempotency keys into no-ops). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
