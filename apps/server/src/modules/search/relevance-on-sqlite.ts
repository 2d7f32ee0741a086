import type { AppContext } from '../../app-context.ts';
import { type DocFilter, matchingDocs, type SearchScope } from './matching-docs.ts';
import { newestOnSqlite } from './newest-on-sqlite.ts';
import { scoredColumns } from './search-query.ts';
import type { ParsedQuery } from './text-analysis.ts';

/**
 * Relevance order on SQLite, among the same candidates as on PostgreSQL: the newest RELEVANCE_WINDOW
 * matching messages plus every matching contact. The messages come from the FTS5 newest-first walk
 * (newestOnSqlite), which stops after the window instead of collecting and sorting every match of a
 * common word; they are ranked here, by score, then newest, then row id, after the keyset cursor.
 */
export async function relevanceOnSqlite(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  cursor: [number, number, number] | null,
  want: number,
  window: number,
) {
  const messages =
    f.kind === 'contacts'
      ? []
      : await newestOnSqlite(ctx, scope, q, { ...f, kind: 'messages' }, undefined, window);
  // Filters that narrow to conversations or messages leave no contacts (matchingDocs). The plain
  // `kind =` (not docKindCondition's `+kind`) lets SQLite start from the contact documents (the
  // (kind, ref_id) index) and check each against the matches, instead of reading every match of a common
  // word to find the few contacts among them.
  const contacts = await matchingDocs(ctx.db.kysely, ctx.db.dialect, scope, q, f)
    .where('d.kind', '=', 'contact')
    .select(scoredColumns(q))
    .execute();
  const key = (r: { score: number; created_at: number; rid: number }) =>
    [Number(r.score), Number(r.created_at), Number(r.rid)] as const;
  const before = (a: readonly number[], b: readonly number[]) =>
    a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[2]! < b[2]!)));
  return [...messages, ...contacts]
    .filter((r) => !cursor || before(key(r), cursor))
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
    })
    .slice(0, want);
}
