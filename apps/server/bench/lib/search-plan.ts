import { sql } from 'kysely';
import type { AppContext } from '../../src/app-context.ts';
import { matchingDocs } from '../../src/modules/search/matching-docs.ts';
import { NEWEST_WINDOWS, newestWindows, parseSearchText } from '../../src/modules/search/search.service.ts';
import { estimatedShare } from '../../src/modules/search/term-share.ts';
import { queryStems, toFts5Match } from '../../src/modules/search/text-analysis.ts';

export interface PlanCheck {
  query: string;
  /** Index names the plan reads, in plan order. */
  indexes: string[];
  /** The account's date index (account_id, created_at) drives the newest-first window. */
  dateIndexUsed: boolean;
  /**
   * The word's GIN index is read too: the plan collects every match of the word and joins it to the
   * window (cost grows with the matches) instead of checking only the window's rows.
   */
  everyMatchRead: boolean;
  /** The plan's own estimate and the measured execution time (EXPLAIN ANALYZE), ms. */
  executionMs: number;
  plan: string;
}

/**
 * EXPLAIN ANALYZE of the first newest-first window the search service reads for `q` (the same builder,
 * `matchingDocs` with the first of NEWEST_WINDOWS, ordered and limited as a page of 20): on PostgreSQL it
 * must walk `search_docs_account_idx` backwards instead of collecting every match from the GIN index.
 */
export async function explainNewestSearch(ctx: AppContext, accountId: string, q: string): Promise<PlanCheck> {
  const k = ctx.db.kysely;
  if (ctx.db.dialect === 'sqlite') return explainFts5Walk(ctx, q);
  const parsed = parseSearchText(q);
  // The first window the service would read for this query (sized by the word's share).
  const size = newestWindows(await estimatedShare(ctx, queryStems(parsed)), 21)[0] ?? NEWEST_WINDOWS[0]!;
  const compiled = matchingDocs(
    k,
    ctx.db.dialect,
    { accountId, userId: null, teams: undefined },
    parsed,
    {},
    { size },
  )
    .select(['d.rid', 'd.created_at'])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.rid', 'desc')
    .limit(21)
    .compile();
  const prefix = ctx.db.dialect === 'postgres' ? 'explain (analyze, format text) ' : 'explain query plan ';
  const r = await sql
    .raw<Record<string, unknown>>(prefix + inline(compiled.sql, compiled.parameters, ctx.db.dialect))
    .execute(k);
  const plan = r.rows.map((row) => String(row['QUERY PLAN'] ?? row.detail ?? JSON.stringify(row))).join('\n');
  const indexes = [
    ...plan.matchAll(/(?:using|on|USING(?: COVERING)? INDEX) (search_\w+_idx|\w+_idx|\w+_uq)/gi),
  ].map((m) => m[1]!);
  const exec = /Execution Time: ([\d.]+) ms/.exec(plan);
  return {
    query: q,
    indexes: [...new Set(indexes)],
    dateIndexUsed: indexes.includes('search_docs_account_idx'),
    everyMatchRead: indexes.includes('search_docs_tsv_idx'),
    executionMs: exec ? Number(exec[1]) : Number.NaN,
    plan,
  };
}

/** Parameters written into the text (EXPLAIN takes no bind parameters on PostgreSQL's simple protocol). */
function inline(text: string, params: readonly unknown[], dialect: string): string {
  const lit = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  if (dialect === 'postgres') return text.replace(/\$(\d+)/g, (_, i) => lit(params[Number(i) - 1]));
  let i = 0;
  return text.replace(/\?/g, () => lit(params[i++]));
}

/**
 * SQLite: the FTS5 lookup newestOnSqlite starts with (`match … order by rowid desc limit 100`). FTS5 must
 * hand the rows over in descending rowid order itself — no `USE TEMP B-TREE FOR ORDER BY`, which would
 * mean every match is collected and sorted; the lookup is also timed.
 */
async function explainFts5Walk(ctx: AppContext, q: string): Promise<PlanCheck> {
  const k = ctx.db.kysely;
  const match = toFts5Match(parseSearchText(q));
  const walk = sql`select rowid from search_fts where search_fts match ${match} order by rowid desc limit 100`;
  const r = await sql<Record<string, unknown>>`explain query plan ${walk}`.execute(k);
  const plan = r.rows.map((row) => String(row.detail ?? JSON.stringify(row))).join('\n');
  const t = performance.now();
  await walk.execute(k);
  const executionMs = Math.round((performance.now() - t) * 100) / 100;
  return {
    query: q,
    indexes: ['search_fts'],
    dateIndexUsed: false,
    everyMatchRead: /TEMP B-TREE/i.test(plan),
    executionMs,
    plan,
  };
}
