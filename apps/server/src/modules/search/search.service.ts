import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import { type DocFilter, matchingDocs, type SearchScope } from './matching-docs.ts';
import { newestOnSqlite } from './newest-on-sqlite.ts';
import { relevanceOnSqlite } from './relevance-on-sqlite.ts';
import { describeHits, type SearchHit } from './search-hits.ts';
import { docKindCondition, scoreExpression } from './search-query.ts';
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
  const cols = [
    'd.rid',
    'd.kind',
    'd.ref_id',
    'd.conversation_id',
    'd.contact_id',
    'd.created_at',
    'd.terms',
    'd.term_count',
  ] as const;
  const base = () => matchingDocs(k, ctx.db.dialect, scope, q, f).select(cols);
  const scored = (from: ReturnType<typeof base>) =>
    k
      .selectFrom(from.as('d'))
      .select([
        'd.rid',
        'd.kind',
        'd.ref_id',
        'd.conversation_id',
        'd.contact_id',
        'd.created_at',
        scoreExpression(q).as('score'),
      ]);
  let rows: Awaited<ReturnType<ReturnType<typeof scored>['execute']>>;
  if (recent && ctx.db.dialect === 'sqlite') {
    rows = await newestOnSqlite(ctx, scope, q, f, cursor ? Number(cursor[1]) : undefined, page.limit + 1);
  } else if (recent) {
    const before = cursor ? ((cursor ?? null) as [number, number]) : undefined;
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
      return scored(
        newest
          .orderBy('d.created_at', 'desc')
          .orderBy('d.rid', 'desc')
          .limit(page.limit + 1),
      )
        .orderBy('d.created_at', 'desc')
        .orderBy('d.rid', 'desc')
        .execute();
    };
    // A window only pays when it is expected to hold a page (twice over) of the words' matches; for rarer
    // words the GIN index's matches are few and read directly (term-share.ts).
    const share = await estimatedShare(ctx, queryStems(q));
    const windows = NEWEST_WINDOWS.filter(
      (size) => share === undefined || share * size >= 2 * (page.limit + 1),
    );
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
