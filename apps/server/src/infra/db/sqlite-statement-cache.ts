import type SQLiteModule from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; queries with IN lists of varying length make many texts. */
const MAX_STATEMENTS = 500;

/**
 * The connection as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query afresh, and preparing is where SQLite compiles the statement together
 * with the triggers it fires (the messages table's full-text triggers): profiled, that was as much CPU
 * as running the statements. A statement busy in an open iterator (a streamed query) is never handed
 * out twice; a fresh one is prepared instead. SQLite re-prepares cached statements itself after a
 * schema change (migrations), so reuse is safe across them.
 */
export function withStatementCache(db: SQLiteModule.Database): SqliteDatabase {
  const cache = new Map<string, SQLiteModule.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Most recently used last: eviction takes the front of the map.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit as unknown as SqliteStatement;
      }
      const stmt = db.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
