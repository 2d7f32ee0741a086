import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import { type DocFilter, matchingDocs, type SearchScope } from './matching-docs.ts';
import { newestOnSqlite } from './newest-on-sqlite.ts';
import { relevanceOnSqlite } from './relevance-on-sqlite.ts';
import { describeHits, type SearchHit } from './search-hits.ts';
import { docColumns, docKindCondition, scoredColumns } from './search-query.ts';
import { estimatedShare } from './term-share.ts';
import { MAX_QUERY_STEMS, type ParsedQuery, parseQuery, queryStems } from './text-analysis.ts';

/** Parses `q`, answering 400 when it has no searchable word or too many. */
export function parseSearchText(q: string): ParsedQuery {
  const parsed = parseQuery(q);
  const n = queryStems(parsed).length;
  if (n === 0) throw new DomainError('validation_error', 'q: no searchable words (letters or digits)');
  if (n > MAX_QUERY_STEMS) throw new DomainError('validation_error', `q: at most ${MAX_QUERY_STEMS} words`);
  return parsed;
}

/**
 * Newest-first search looks at the account's newest documents in growing windows and stops at the first
 * window holding a full page of matches — a word in a quarter of all messages fills a page of 20 from
 * ~100 documents. Only when even the largest window holds less than a page (a rare word, or a narrow
 * filter) are all matches collected and sorted, and then there are few of them: fewer than a page per
 * 50,000 documents.
 */
export const NEWEST_WINDOWS = [2_000, 50_000];

/**
 * The windows to try for a query whose rarest word is in `share` of all documents (term-share.ts;
 * undefined: no statistics, NEWEST_WINDOWS). The first is sized to hold the page four times over at
 * that share (a word in a quarter of the documents: 336 documents for a page of 20, not 2,000), the
 * next ones allow for filters that drop most matches. A window only pays when it is expected to hold a
 * page twice over; for rarer words none is tried and the GIN index's few matches are read directly.
 */
export function newestWindows(share: number | undefined, want: number): number[] {
  const largest = NEWEST_WINDOWS[NEWEST_WINDOWS.length - 1]!;
  if (share === undefined) return NEWEST_WINDOWS;
  if (share * largest < 2 * want) return [];
  const first = Math.min(largest, Math.max(200, Math.ceil((4 * want) / share)));
  return [...new Set([first, Math.min(largest, first * 8), largest])];
}

/** How many of the newest matching messages relevance ranking considers (see searchHits). */
export const RELEVANCE_WINDOW = 20_000;

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

/** Ranked hits (score, then newest), one page at a time with a keyset cursor. */
export async function searchHits(
  ctx: AppContext,
  scope: SearchScope,
  q: ParsedQuery,
  f: DocFilter,
  page: { limit: number; cursor?: string; sort?: 'relevance' | 'recent' },
): Promise<SearchPage> {
  const k = ctx.db.kysely;
  const cursor = decodeCursor(page.cursor);
  if (
    page.cursor &&
    !(cursor?.length === (page.sort === 'recent' ? 2 : 3) && cursor.every((v) => typeof v === 'number'))
  )
    throw new DomainError('validation_error', 'cursor: malformed');
  const recent = page.sort === 'recent';
  const cols = [...docColumns, 'd.terms', 'd.term_count'] as const;
  const base = () => matchingDocs(k, ctx.db.dialect, scope, q, f).select(cols);
  const scored = (from: ReturnType<typeof base>) => k.selectFrom(from.as('d')).select(scoredColumns(q));
  let rows: Awaited<ReturnType<ReturnType<typeof scored>['execute']>>;
  if (recent && ctx.db.dialect === 'sqlite') {
    rows = await newestOnSqlite(ctx, scope, q, f, cursor ? Number(cursor[1]) : undefined, page.limit + 1);
  } else if (recent) {
    const before = cursor ? ((cursor ?? null) as [number, number]) : undefined;
    const windows = newestWindows(await estimatedShare(ctx, queryStems(q)), page.limit + 1);
    const newestPage = (size?: number) => {
      let newest = matchingDocs(k, ctx.db.dialect, scope, q, f, size ? { size, before } : undefined).select(
        cols,
      );
      if (before) {
        const [at, rid] = before;
        newest = newest.where(
          sql<boolean>`(d.created_at < ${at} or (d.created_at = ${at} and d.rid < ${rid}))`,
        );
      }
      // A rare word (no window tried): `created_at + 0` keeps the planner off a backward walk of the date
      // index — it would check documents one by one until it met the word's few matches, at 1,000,000
      // messages 3.5 s for a word in ten of them — so it reads the matches from the GIN index and sorts.
      const newestFirst = size === undefined && !windows.length ? sql`d.created_at + 0` : sql`d.created_at`;
      return scored(
        newest
          .orderBy(newestFirst, 'desc')
          .orderBy('d.rid', 'desc')
          .limit(page.limit + 1),
      )
        .orderBy('d.created_at', 'desc')
        .orderBy('d.rid', 'desc')
        .execute();
    };
    let found: typeof rows | undefined;
    for (const size of windows) {
      const r = await newestPage(size);
      // A full page (plus one, for the cursor) from the window is exactly the newest matches overall.
      if (r.length > page.limit) {
        found = r;
        break;
      }
    }
    rows = found ?? (await newestPage());
  } else if (ctx.db.dialect === 'sqlite') {
    rows = await relevanceOnSqlite(
      ctx,
      scope,
      q,
      f,
      (cursor ?? null) as [number, number, number] | null,
      page.limit + 1,
      RELEVANCE_WINDOW,
    );
  } else {
    // Ranking every match of a very common word costs a string scan per match; relevance is judged among
    // the newest RELEVANCE_WINDOW messages (plus all matching contacts). sort=recent walks all history.
    const window = k
      .selectFrom(
        base()
          .where(docKindCondition(ctx.db.dialect, 'message'))
          .orderBy('d.created_at', 'desc')
          .orderBy('d.rid', 'desc')
          .limit(RELEVANCE_WINDOW)
          .as('w'),
      )
      .selectAll()
      .unionAll(base().where(docKindCondition(ctx.db.dialect, 'contact')));
    let outer = k.selectFrom(scored(window as unknown as ReturnType<typeof base>).as('h')).selectAll();
    if (cursor) {
      const [score, at, rid] = (cursor ?? null) as [number, number, number];
      outer = outer.where(
        sql<boolean>`(h.score < ${score} or (h.score = ${score} and (h.created_at < ${at} or (h.created_at = ${at} and h.rid < ${rid}))))`,
      );
    }
    rows = await outer
      .orderBy('h.score', 'desc')
      .orderBy('h.created_at', 'desc')
      .orderBy('h.rid', 'desc')
      .limit(page.limit + 1)
      .execute();
  }
  const pageRows = rows.slice(0, page.limit).map((r) => ({ ...r, score: Number(r.score) }));
  const last = pageRows[pageRows.length - 1];
  return {
    items: await describeHits(ctx, scope, q, pageRows),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor(
            recent ? [last.created_at, Number(last.rid)] : [last.score, last.created_at, Number(last.rid)],
          )
        : null,
  };
}
