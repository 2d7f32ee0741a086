import type { DurationStats } from '@switchboard/shared';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { SampleKind } from './cycle-reducer.ts';
import type { ReportScope } from './report-period.ts';
import { msColumn, nearestRank, samplesIn, sortedMs } from './scope-filters.ts';

/**
 * Count, median and p90 of one kind of duration over the scope. PostgreSQL ranks in the database
 * (percentile_disc is nearest-rank); SQLite streams the covering index into a sorted array.
 */
export async function durationStats(
  ctx: AppContext,
  s: ReportScope,
  kind: SampleKind,
): Promise<DurationStats> {
  const k = ctx.db.kysely;
  const col = msColumn(s);
  if (ctx.db.dialect === 'postgres') {
    const r = await samplesIn(k, s, kind)
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number | null>`percentile_disc(0.5) within group (order by ${sql.ref(col)})`.as('median'),
        sql<number | null>`percentile_disc(0.9) within group (order by ${sql.ref(col)})`.as('p90'),
      ])
      .executeTakeFirstOrThrow();
    const sec = (v: number | null) => (v === null ? null : Math.round(Number(v) / 1000));
    return { count: Number(r.n), median: sec(r.median), p90: sec(r.p90) };
  }
  // Whole seconds are what is reported, and rounding keeps the order: counting per second gives the
  // same nearest-rank answer as sorting every duration, with far fewer rows leaving the database.
  const secs = sql<number>`(${sql.ref(col)} + 500) / 1000`;
  const rows = await samplesIn(k, s, kind)
    .select([secs.as('s'), sql<number>`count(*)`.as('n')])
    .groupBy(secs)
    .orderBy(secs)
    .execute();
  const counts = rows.map((r) => [Number(r.s), Number(r.n)] as const);
  const total = counts.reduce((a, [, n]) => a + n, 0);
  return { count: total, median: rankOfCounts(counts, total, 0.5), p90: rankOfCounts(counts, total, 0.9) };
}

/** Nearest-rank percentile over ascending (value, count) pairs. */
function rankOfCounts(
  counts: ReadonlyArray<readonly [number, number]>,
  total: number,
  p: number,
): number | null {
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [v, n] of counts) {
    seen += n;
    if (seen >= rank) return v;
  }
  return null;
}

/** Median and p90 per group (operator, channel) of one kind of duration. */
export async function spreadBy(
  ctx: AppContext,
  s: ReportScope,
  kind: SampleKind,
  by: 'user_id' | 'channel_id',
): Promise<Map<string, { median: number | null; p90: number | null }>> {
  const k = ctx.db.kysely;
  const rows = await samplesIn(k, s, kind)
    .select([sql<string | null>`${sql.ref(by)}`.as('g'), sql<number>`${sql.ref(msColumn(s))}`.as('v')])
    .execute();
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    if (r.g === null) continue;
    const list = groups.get(r.g);
    if (list) list.push(r.v);
    else groups.set(r.g, [r.v]);
  }
  const out = new Map<string, { median: number | null; p90: number | null }>();
  for (const [g, values] of groups) {
    const sorted = sortedMs(values);
    out.set(g, { median: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) });
  }
  return out;
}
