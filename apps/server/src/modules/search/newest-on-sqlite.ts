import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { type DocFilter, matchingDocs, type SearchScope } from './matching-docs.ts';
import { rowidRange } from './doc-rowid.ts';
import { scoredColumns } from './search-query.ts';
import { type ParsedQuery, toFts5Match } from './text-analysis.ts';

/** How many FTS5 row ids newestOnSqlite reads before letting SQLite plan the filtered query itself. */
export const SQLITE_NEWEST_BUDGET = 50_000;

/**
 * Newest-first on SQLite, driven by FTS5 itself: `match … order by rowid desc limit n` walks the term's
 * doclist from its end and stops after n row ids (~0.5 ms for a word in a quarter of 445k documents),
 * while any other shape (a rowid range, a join) makes FTS5 collect every match first. Those row ids are
 * then filtered through search_docs; when the filters drop too many, the next, larger batch continues
 * below the last row id read. "Newest" is row id order, which is time order to the second and indexing
 * order within it (doc-rowid.ts; an edit keeps its row id, a backfilled old message sorts by its time).
 * After SQLITE_NEWEST_BUDGET row ids (a narrow filter on a common word) the remaining page is found by
 * the ordinary plan, which starts from the filters' indexes.
 */
export async function newestOnSqlite(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  below: number | undefined,
  want: number,
) {
  const k = ctx.db.kysely;
  const scoredDocs = (query: ReturnType<typeof matchingDocs>) =>
    query.select(scoredColumns(q)).orderBy('d.rid', 'desc');
  const out: Awaited<ReturnType<ReturnType<typeof scoredDocs>['execute']>> = [];
  // A date filter is a rowid range of the FTS5 lookup itself (row ids are time-ordered, doc-rowid.ts):
  // the walk starts at the range's end instead of reading every newer match first.
  const range = rowidRange(f.from, f.to);
  let upper = below !== undefined && range.hi !== undefined ? Math.min(below, range.hi) : (below ?? range.hi);
  const lower = range.lo !== undefined ? sql` and rowid >= ${range.lo}` : sql``;
  // At most 10,000 row ids a round: they are bound parameters of the next statement.
  let batch = Math.min(Math.max(want * 4, 100), 10_000);
  let read = 0;
  for (;;) {
    if (read >= SQLITE_NEWEST_BUDGET) {
      let rest = matchingDocs(k, ctx.db.dialect, scope, q, f);
      if (upper !== undefined) rest = rest.where('d.rid', '<', upper);
      out.push(
        ...(await scoredDocs(rest)
          .limit(want - out.length)
          .execute()),
      );
      break;
    }
    const bound = upper !== undefined ? sql` and rowid < ${upper}` : sql``;
    const found = await sql<{
      rowid: number;
    }>`select rowid from search_fts where search_fts match ${toFts5Match(q)}${bound}${lower} order by rowid desc limit ${batch}`.execute(
      k,
    );
    const rids = found.rows.map((r) => Number(r.rowid));
    read += rids.length;
    if (rids.length) {
      const docs = await scoredDocs(matchingDocs(k, ctx.db.dialect, scope, q, f, undefined, rids))
        .limit(want - out.length)
        .execute();
      out.push(...docs);
    }
    if (out.length >= want || rids.length < batch) break;
    upper = rids[rids.length - 1];
    batch = Math.min(batch * 4, 10_000);
  }
  return out;
}
