import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../../infra/db/database.ts';
import { type ParsedQuery, queryStems, toFts5Match, toTsqueryLiteral } from './text-analysis.ts';

/**
 * search_docs rows (aliased `d`) containing every term and phrase of the query. `minRid`: only documents
 * from that row id on are candidates (the newest-first window, see search.service.ts); on SQLite the
 * bound goes into the full-text lookup, so a common word's matches outside it are never collected.
 */
export function matchCondition(
  dialect: DialectName,
  q: ParsedQuery,
  minRid?: RawBuilder<number>,
): RawBuilder<boolean> {
  if (dialect === 'postgres') return sql<boolean>`d.tsv @@ cast(${toTsqueryLiteral(q)} as tsquery)`;
  const bound = minRid ? sql` and rowid >= ${minRid}` : sql``;
  return sql<boolean>`d.rid in (select rowid from search_fts where search_fts match ${toFts5Match(q)}${bound})`;
}

/**
 * search_docs `d` of one account. On SQLite the unary plus keeps the planner off the account index: it
 * would otherwise walk every document of the account in date order, probing the FTS matches, instead of
 * starting from the (usually far fewer) matches.
 */
export function docAccountCondition(dialect: DialectName, accountId: string): RawBuilder<boolean> {
  return dialect === 'sqlite'
    ? sql<boolean>`+d.account_id = ${accountId}`
    : sql<boolean>`d.account_id = ${accountId}`;
}

/** search_docs `d` of one kind, kept off the (kind, ref_id) index on SQLite for the same reason. */
export function docKindCondition(dialect: DialectName, kind: 'message' | 'contact'): RawBuilder<boolean> {
  return dialect === 'sqlite' ? sql<boolean>`+d.kind = ${kind}` : sql<boolean>`d.kind = ${kind}`;
}

/**
 * Relevance, computed the same way on both dialects in integer arithmetic (so ties and order agree
 * exactly): per query stem a BM25-style saturating term frequency, damped by document length
 * (chat messages average ~20 words). Contacts whose name, phone or e-mail match come first.
 */
export function scoreExpression(q: ParsedQuery): RawBuilder<number> {
  const parts = queryStems(q).map((s) => {
    const tf = sql`((length(d.terms) - length(replace(d.terms, ${` ${s} `}, ''))) / ${sql.lit([...s].length + 2)})`;
    return sql`(${tf} * cast(1000000 as bigint)) / (${tf} * 1000 + 300 + 45 * d.term_count)`;
  });
  return sql<number>`(case when d.kind = 'contact' then 1000000 else 0 end + ${sql.join(parts, sql` + `)})`;
}

/** A search document's identity and time, as every search read selects them. */
export const docColumns = [
  'd.rid',
  'd.kind',
  'd.ref_id',
  'd.conversation_id',
  'd.contact_id',
  'd.created_at',
] as const;

/** What a search hit is read with: the document's identity, time and its score. */
export function scoredColumns(q: ParsedQuery) {
  return [...docColumns, scoreExpression(q).as('score')] as const;
}
