import { sql } from 'kysely';
import type { AppContext } from '../../src/app-context.ts';
import { matchingDocs } from '../../src/modules/search/matching-docs.ts';
import { NEWEST_WINDOWS, parseSearchText } from '../../src/modules/search/search.service.ts';

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
  const compiled = matchingDocs(
    k,
    ctx.db.dialect,
    { accountId, userId: null, teams: undefined },
    parseSearchText(q),
    {},
    { size: NEWEST_WINDOWS[0]! },
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
