import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { MESSAGE_METRICS, type MessageMetric, QUARTER_HOUR_MS } from './cycle-reducer.ts';
import type { ReportScope } from './report-period.ts';
import { filtered } from './scope-filters.ts';

export type MessageCounts = Record<MessageMetric, number>;

/**
 * Message counts per quarter hour from the rollup. A label is not a rollup dimension (labels change
 * after the fact), so with one the labelled conversations' messages are counted through the
 * conversation index, with the same classification as the reducer.
 */
export async function messageQuarters(
  k: Tx,
  s: ReportScope,
  metrics: readonly MessageMetric[] = MESSAGE_METRICS,
  groupBy?: 'user_id' | 'channel_id',
  perQuarter = true,
): Promise<Array<{ q: number; metric: MessageMetric; n: number; g: string | null }>> {
  if (s.label) return labelledMessageQuarters(k, s, metrics, groupBy, perQuarter);
  const totals = totalsDimension(s, groupBy);
  if (totals) {
    const bucket = perQuarter ? sql<number>`bucket` : sql<number>`0`;
    const g = groupBy ? sql<string>`dim_id` : sql<string | null>`null`;
    let q = k
      .selectFrom('report_totals')
      .select([bucket.as('q'), 'metric', g.as('g'), sql<number>`sum(n)`.as('n')])
      .where('account_id', '=', s.accountId)
      .where('dim', '=', totals.dim)
      .where('metric', 'in', [...metrics])
      .where('bucket', '>=', s.from)
      .where('bucket', '<', s.to);
    if (totals.dimId !== undefined) q = q.where('dim_id', '=', totals.dimId);
    const rows = await q
      .groupBy([
        ...(perQuarter ? ['bucket' as const] : []),
        'metric',
        ...(groupBy ? ['dim_id' as const] : []),
      ])
      .execute();
    return rows.map((r) => ({
      q: Number(r.q),
      metric: r.metric as MessageMetric,
      n: Number(r.n),
      g: r.g || null,
    }));
  }
  const g = groupBy ? sql<string>`${sql.ref(groupBy)}` : sql<string | null>`null`;
  const bucket = perQuarter ? sql<number>`bucket` : sql<number>`0`;
  const rows = await filtered(k, k.selectFrom('report_counts'), { ...s, label: undefined })
    .select([bucket.as('q'), 'metric', g.as('g'), sql<number>`sum(n)`.as('n')])
    .where('bucket', '>=', s.from)
    .where('bucket', '<', s.to)
    .where('metric', 'in', [...metrics])
    .groupBy([...(perQuarter ? ['bucket' as const] : []), 'metric', ...(groupBy ? [groupBy] : [])])
    .execute();
  return rows.map((r) => ({
    q: Number(r.q),
    metric: r.metric as MessageMetric,
    n: Number(r.n),
    g: r.g || null,
  }));
}

/**
 * The one-dimension totals answer when at most one of channel, team and operator narrows the figures
 * and any grouping is along that same kind of dimension (or there is no filter).
 */
function totalsDimension(
  s: ReportScope,
  groupBy: 'user_id' | 'channel_id' | undefined,
): { dim: string; dimId?: string } | null {
  const filters = [
    s.channel !== undefined && { dim: 'channel', dimId: s.channel },
    s.team !== undefined && { dim: 'team', dimId: s.team },
    s.operator !== undefined && { dim: 'user', dimId: s.operator },
  ].filter((f): f is { dim: string; dimId: string } => Boolean(f));
  if (filters.length > 1) return null;
  if (groupBy) return filters.length ? null : { dim: groupBy === 'user_id' ? 'user' : 'channel' };
  return filters[0] ?? { dim: 'all', dimId: '' };
}

const METRIC_SQL = sql<MessageMetric>`case when m.private = 1 and m.author_kind = 'user' then 'notes' when m.private = 1 then 'none' when m.author_kind = 'contact' then 'inbound' when m.author_kind = 'user' then 'outbound' else 'automatic' end`;

async function labelledMessageQuarters(
  k: Tx,
  s: ReportScope,
  metrics: readonly MessageMetric[],
  groupBy: 'user_id' | 'channel_id' | undefined,
  perQuarter: boolean,
): Promise<Array<{ q: number; metric: MessageMetric; n: number; g: string | null }>> {
  let q = k
    .selectFrom('conversation_labels as l')
    .innerJoin('messages as m', 'm.conversation_id', 'l.conversation_id')
    .innerJoin('conversations as c', 'c.id', 'l.conversation_id')
    .where('l.account_id', '=', s.accountId)
    .where('l.label', '=', s.label!)
    .where('m.created_at', '>=', Math.ceil(s.from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS)
    .where('m.created_at', '<', Math.ceil(s.to / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
  if (s.channel) q = q.where('m.channel_id', '=', s.channel);
  if (s.team) q = q.where('c.team_id', '=', s.team);
  const credited = sql<
    string | null
  >`case when m.author_kind = 'user' then m.author_id else c.assignee_id end`;
  if (s.operator) q = q.where(credited, '=', s.operator);
  const g =
    groupBy === 'user_id' ? credited : groupBy === 'channel_id' ? sql<string>`m.channel_id` : sql<null>`null`;
  const quarter = perQuarter ? sql<number>`(m.created_at / 900000) * 900000` : sql<number>`0`;
  const rows = await q
    .select([quarter.as('q'), METRIC_SQL.as('metric'), g.as('g'), sql<number>`count(*)`.as('n')])
    .groupBy([quarter, METRIC_SQL, g])
    .execute();
  return rows
    .map((r) => ({ q: Number(r.q), metric: r.metric, n: Number(r.n), g: r.g ?? null }))
    .filter((r) => metrics.includes(r.metric));
}

/** Counts are kept per quarter hour: a period's message figures are its whole quarters' (docs/metrics.md). */
export async function messageCounts(k: Tx, s: ReportScope): Promise<MessageCounts> {
  const out: MessageCounts = { inbound: 0, outbound: 0, automatic: 0, notes: 0 };
  for (const r of await messageQuarters(k, s, MESSAGE_METRICS, undefined, false)) out[r.metric] += r.n;
  return out;
}
