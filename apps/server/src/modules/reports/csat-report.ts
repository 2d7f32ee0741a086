import type { Tx } from '../../infra/db/database.ts';
import { sql } from 'kysely';
import { bucketIndex } from './report-calendar.ts';
import type { ReportScope } from './report-period.ts';
import { filtered } from './scope-filters.ts';

/** Answered surveys whose (latest) rating falls in the period, under the scope's filters. */
function ratingsIn(k: Tx, s: ReportScope) {
  return filtered(k, k.selectFrom('report_csat').where('at', '>=', s.from).where('at', '<', s.to), s);
}

/** Averages to two decimals: enough to tell 4.25 from 4.3, not more than five stars can say. */
function average(sum: number, n: number): number | null {
  return n ? Math.round((sum / n) * 100) / 100 : null;
}

export async function csatOverview(
  k: Tx,
  s: ReportScope,
): Promise<{ responses: number; average: number | null }> {
  const r = await ratingsIn(k, s)
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(rating), 0)`.as('total')])
    .executeTakeFirstOrThrow();
  return { responses: Number(r.n), average: average(Number(r.total), Number(r.n)) };
}

/** Average rating per operator or channel (the cycle's assignee at the resolution; its channel). */
export async function csatBy(
  k: Tx,
  s: ReportScope,
  column: 'user_id' | 'channel_id',
): Promise<Map<string, number | null>> {
  const rows = await ratingsIn(k, s)
    .select([
      sql<string | null>`${sql.ref(column)}`.as('g'),
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(rating)`.as('total'),
    ])
    .groupBy(column)
    .execute();
  return new Map(rows.filter((r) => r.g).map((r) => [r.g!, average(Number(r.total), Number(r.n))]));
}

/** `csat_average` (null in a bucket without answers) or `csat_responses` per bucket. */
export async function csatSeries(
  k: Tx,
  s: ReportScope,
  starts: number[],
  what: 'average' | 'responses',
): Promise<Array<number | null>> {
  const n = starts.map(() => 0);
  const total = starts.map(() => 0);
  for (const r of await ratingsIn(k, s).select(['at', 'rating']).execute()) {
    const i = bucketIndex(starts, Number(r.at));
    if (i < 0) continue;
    n[i]! += 1;
    total[i]! += Number(r.rating);
  }
  return what === 'responses' ? n : n.map((c, i) => average(total[i]!, c));
}
