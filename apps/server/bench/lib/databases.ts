import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const BENCH_PG_URL = process.env.SWITCHBOARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh database for one scenario: a SQLite file in a temp folder, or a new PostgreSQL database. */
export async function freshDatabase(dialect: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  if (dialect === 'sqlite')
    return { dialect, url: `sqlite:${join(dataDir, 'sb.db')}`, dataDir, drop: async () => {} };
  const name = `sb_bench_${Date.now().toString(36)}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  return {
    dialect,
    url: databaseUrl(name),
    dataDir,
    drop: async () => {
      await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** One statement run on the bench's admin connection (databases are created and dropped from there). */
async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** BENCH_PG_URL pointed at another database of the same server. */
function databaseUrl(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * A database kept between runs (`BENCH_READ_KEEP=<folder>`), named by `key`: a SQLite file in that folder,
 * or a PostgreSQL database of that name. `existed` says whether an earlier run left it; drop() keeps it.
 * For iterating on read paths at size without reseeding; migrations added since still apply on start.
 */
export async function keptDatabase(
  dialect: 'sqlite' | 'postgres',
  folder: string,
  key: string,
): Promise<BenchDatabase & { existed: boolean }> {
  mkdirSync(folder, { recursive: true });
  if (dialect === 'sqlite') {
    const file = join(folder, `${key}.db`);
    return {
      dialect,
      url: `sqlite:${file}`,
      dataDir: folder,
      existed: existsSync(file),
      drop: async () => {},
    };
  }
  const name = `sb_keep_${key.replace(/\W/g, '_')}`;
  const found = await withAdmin(async (admin) => {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!r.rowCount) await admin.query(`create database ${name}`);
    return r;
  });
  return {
    dialect,
    url: databaseUrl(name),
    dataDir: folder,
    existed: Boolean(found.rowCount),
    drop: async () => {},
  };
}
