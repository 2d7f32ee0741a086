import { type RawBuilder, sql } from 'kysely';

/**
 * On SQLite a search document's row id (the FTS5 rowid) is ordered by time:
 * `floor(created_at / 1000) * ROWIDS_PER_SECOND + n`, n counting that second's documents in indexing
 * order (migration 0046). FTS5 can then give the newest matches by walking a term's doclist backwards
 * and stop after a page, and a date range is a rowid range. Below 2^53 until the year 2242.
 */
export const ROWIDS_PER_SECOND = 2 ** 20;

/** The lowest row id a document created at `ms` can have. */
export function firstRowidAt(ms: number): number {
  return Math.floor(ms / 1000) * ROWIDS_PER_SECOND;
}

/**
 * Row ids of documents created in [from, to): at least `lo`, below `hi` (a superset at second
 * granularity; callers still check created_at exactly).
 */
export function rowidRange(from: number | undefined, to: number | undefined): { lo?: number; hi?: number } {
  return {
    lo: from === undefined ? undefined : firstRowidAt(from),
    hi: to === undefined ? undefined : firstRowidAt(to - 1) + ROWIDS_PER_SECOND,
  };
}

/**
 * The next free row id of the document's second, read from the primary key (one b-tree descent).
 * A second with 2^20 documents already would spill into the next one and fail on its primary key.
 */
export function nextRowidSql(createdAt: number): RawBuilder<number> {
  const lo = firstRowidAt(createdAt);
  return sql<number>`(select coalesce(max(rid) + 1, ${lo}) from search_docs where rid >= ${lo} and rid < ${lo + ROWIDS_PER_SECOND})`;
}
