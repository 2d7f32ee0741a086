import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';

/** How long the lexeme statistics read from pg_stats are reused (ANALYZE refreshes them rarely). */
const STATS_TTL_MS = 10 * 60_000;

interface LexemeStats {
  share: Map<string, number>;
}

const cache = new WeakMap<object, { readAt: number; stats: LexemeStats | null }>();

/**
 * PostgreSQL: the estimated share of search documents containing all the given stems — the smallest
 * share among them, from ANALYZE's most common lexemes of search_docs.tsv (pg_stats.most_common_elems,
 * the planner's own figures). A stem not in that list is below ANALYZE's cut-off (at 1,000,000 bench
 * messages the list held 84 lexemes down to 8 % of documents) and counts as rare: 0. Undefined
 * when there are no statistics yet (a new or small database). Search uses it to choose, per query,
 * between walking the newest documents (a common word fills a page quickly) and reading the word's
 * matches from the GIN index (a rare word would make that walk read far too many documents).
 */
export async function estimatedShare(ctx: AppContext, stems: string[]): Promise<number | undefined> {
  let entry = cache.get(ctx.db);
  if (!entry || Date.now() - entry.readAt > STATS_TTL_MS) {
    entry = { readAt: Date.now(), stats: await readStats(ctx) };
    cache.set(ctx.db, entry);
  }
  const stats = entry.stats;
  if (!stats || !stems.length) return undefined;
  return Math.min(...stems.map((s) => stats.share.get(s) ?? 0));
}

async function readStats(ctx: AppContext): Promise<LexemeStats | null> {
  const r = await sql<{ elems: string[] | null; freqs: number[] | null }>`
    select most_common_elems::text::text[] as elems, most_common_elem_freqs::float8[] as freqs
    from pg_stats
    where schemaname = current_schema() and tablename = 'search_docs' and attname = 'tsv'`.execute(
    ctx.db.kysely,
  );
  const row = r.rows[0];
  const freqs = row?.freqs;
  if (!row?.elems?.length || !freqs) return null;
  const share = new Map<string, number>();
  // most_common_elem_freqs has the elements' shares (then the minimum, the maximum and the null share).
  for (const [i, e] of row.elems.entries()) share.set(e, Number(freqs[i]));
  return { share };
}
