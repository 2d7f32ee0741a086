import Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchDatabase } from './databases.ts';

/**
 * Runs one counting query against a bench node's database from the bench process (read-only on SQLite:
 * WAL lets it read beside the server's writer), e.g. how many inbound events the workers have processed.
 */
export async function countRows(db: BenchDatabase, query: string): Promise<number> {
  if (db.dialect === 'sqlite') {
    const conn = new Database(db.url.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
    try {
      return Number(Object.values(conn.prepare(query).get() as object)[0]);
    } finally {
      conn.close();
    }
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const r = await c.query(query);
    return Number(Object.values(r.rows[0] as object)[0]);
  } finally {
    await c.end();
  }
}
