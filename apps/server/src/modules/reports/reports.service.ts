import {
  type ChannelRow,
  DISTRIBUTION_BOUNDS,
  type OperatorRow,
  type ReportDistribution,
  type ReportHeatmap,
  type ReportOverview,
  type ReportTimeseries,
  type TimeseriesMetric,
} from '@switchboard/shared';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { conversationCounts, conversationQuarters } from './conversation-counts.query.ts';
import { csatBy, csatOverview, csatSeries } from './csat-report.ts';
import { slaOverview, slaSeries } from './sla-report.ts';
import type { MessageMetric, SampleKind } from './cycle-reducer.ts';
import { durationStats, spreadBy } from './duration-stats.ts';
import { messageCounts, messageQuarters } from './message-counts.query.ts';
import { bucketIndex, type Interval, LocalCalendar } from './report-calendar.ts';
import type { ReportScope } from './report-period.ts';
import { filtered, msColumn, nearestRank, samplesIn, sortedMs } from './scope-filters.ts';

const WEEK_MS = 7 * 86_400_000;
const MAX_BUCKETS = 2000;

export async function overview(ctx: AppContext, s: ReportScope): Promise<ReportOverview> {
  const k = ctx.db.kysely;
  const [conversations, messages, firstResponse, resolution, csat, sla] = await Promise.all([
    conversationCounts(k, s),
    messageCounts(k, s),
    durationStats(ctx, s, 'first_response'),
    durationStats(ctx, s, 'resolution'),
    csatOverview(k, s),
    slaOverview(k, s),
  ]);
  // Next responses are the most numerous durations: read only when asked for.
  const details = s.details
    ? {
        nextResponse: await durationStats(ctx, s, 'next_response'),
        waiting: await durationStats(ctx, s, 'waiting'),
        handling: await durationStats(ctx, s, 'handling'),
      }
    : {};
  const cal = new LocalCalendar(s.tz, s.from, s.to);
  return {
    conversations,
    messages,
    firstResponse,
    resolution,
    ...details,
    csat,
    sla,
    period: { from: cal.iso(s.from), to: cal.iso(s.to), tz: s.tz },
  };
}

const MESSAGE_SERIES: Partial<Record<TimeseriesMetric, MessageMetric>> = {
  messages_inbound: 'inbound',
  messages_outbound: 'outbound',
  messages_automatic: 'automatic',
  messages_notes: 'notes',
};
const CONVERSATION_SERIES: Partial<Record<TimeseriesMetric, 'created' | 'reopened' | 'resolved'>> = {
  conversations_created: 'created',
  conversations_reopened: 'reopened',
  conversations_resolved: 'resolved',
};
const MEDIAN_SERIES: Partial<Record<TimeseriesMetric, SampleKind>> = {
  first_response_median: 'first_response',
  next_response_median: 'next_response',
  resolution_median: 'resolution',
};

export function bucketsOf(s: ReportScope, interval: Interval): { cal: LocalCalendar; starts: number[] } {
  const cal = new LocalCalendar(s.tz, interval === 'week' ? s.from - WEEK_MS : s.from, s.to);
  const starts = cal.bucketStarts(interval, s.from, s.to);
  return { cal, starts };
}

export async function timeseries(
  ctx: AppContext,
  s: ReportScope,
  metric: TimeseriesMetric,
  interval: Interval,
): Promise<ReportTimeseries> {
  const k = ctx.db.kysely;
  const { cal, starts } = bucketsOf(s, interval);
  if (starts.length > MAX_BUCKETS) {
    throw new DomainError(
      'validation_error',
      `too many buckets (${starts.length}): choose a longer interval`,
    );
  }
  const values: Array<number | null> = starts.map(() => 0);
  const add = (t: number, n: number) => {
    const i = bucketIndex(starts, t);
    if (i >= 0 && t >= s.from && t < s.to) values[i] = (values[i] ?? 0) + n;
  };
  const messageMetric = MESSAGE_SERIES[metric];
  const conversationMetric = CONVERSATION_SERIES[metric];
  const sampleKind = MEDIAN_SERIES[metric];
  if (messageMetric) {
    for (const r of await messageQuarters(k, s, [messageMetric])) add(r.q, r.n);
  } else if (conversationMetric) {
    for (const [q, n] of await conversationQuarters(k, s, conversationMetric)) add(q, n);
  } else if (sampleKind) {
    const rows = await samplesIn(k, s, sampleKind)
      .select(['at', sql<number>`${sql.ref(msColumn(s))}`.as('v')])
      .execute();
    const perBucket = starts.map((): number[] => []);
    for (const r of rows) {
      const i = bucketIndex(starts, Number(r.at));
      if (i >= 0) perBucket[i]!.push(Number(r.v));
    }
    perBucket.forEach((list, i) => {
      values[i] = nearestRank(sortedMs(list), 0.5);
    });
  } else if (metric === 'csat_average' || metric === 'csat_responses') {
    const series = await csatSeries(k, s, starts, metric === 'csat_average' ? 'average' : 'responses');
    series.forEach((v, i) => {
      values[i] = v;
    });
  } else if (metric === 'sla_met_percent') {
    (await slaSeries(k, s, starts)).forEach((v, i) => {
      values[i] = v;
    });
  } else {
    values.fill(null);
  }
  return { metric, interval, data: starts.map((t, i) => ({ t: cal.iso(t), value: values[i] ?? null })) };
}

export async function operatorsReport(ctx: AppContext, s: ReportScope): Promise<OperatorRow[]> {
  const k = ctx.db.kysely;
  const members = await k
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'm.active'])
    .where('m.account_id', '=', s.accountId)
    .orderBy('u.name')
    .execute();
  const resolvedBy = await filtered(k, k.selectFrom('report_cycles'), s)
    .select(['user_id', sql<number>`count(*)`.as('n')])
    .where('resolved_at', '>=', s.from)
    .where('resolved_at', '<', s.to)
    .groupBy('user_id')
    .execute();
  const replies = new Map<string, number>();
  for (const r of await messageQuarters(k, s, ['outbound'], 'user_id', false))
    if (r.g) replies.set(r.g, (replies.get(r.g) ?? 0) + r.n);
  const frt = await spreadBy(ctx, s, 'first_response', 'user_id');
  const res = await spreadBy(ctx, s, 'resolution', 'user_id');
  const presence = await presenceSeconds(ctx, s);
  const csat = await csatBy(k, s, 'user_id');
  const none = { median: null, p90: null };
  const conv = new Map(resolvedBy.map((r) => [r.user_id ?? '', Number(r.n)]));
  return members
    .filter((m) => !s.operator || m.id === s.operator)
    .filter((m) => m.active === 1 || conv.has(m.id) || replies.has(m.id))
    .map((m) => ({
      userId: m.id,
      name: m.name,
      conversations: conv.get(m.id) ?? 0,
      replies: replies.get(m.id) ?? 0,
      firstResponse: frt.get(m.id) ?? none,
      resolution: res.get(m.id) ?? none,
      csat: csat.get(m.id) ?? null,
      onlineSeconds: presence.get(`${m.id}|online`) ?? 0,
      awaySeconds: presence.get(`${m.id}|away`) ?? 0,
    }));
}

/** Seconds of each availability per operator within the scope (open intervals run to now). */
async function presenceSeconds(ctx: AppContext, s: ReportScope): Promise<Map<string, number>> {
  const now = ctx.clock.now();
  const rows = await ctx.db.kysely
    .selectFrom('report_presence')
    .selectAll()
    .where('account_id', '=', s.accountId)
    .where('started_at', '<', s.to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', s.from)]))
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) {
    const end = Math.min(r.ended_at ?? now, s.to, now);
    const ms = end - Math.max(r.started_at, s.from);
    if (ms <= 0) continue;
    const key = `${r.user_id}|${r.availability}`;
    out.set(key, (out.get(key) ?? 0) + ms);
  }
  for (const [key, ms] of out) out.set(key, Math.round(ms / 1000));
  return out;
}

export async function channelsReport(ctx: AppContext, s: ReportScope): Promise<ChannelRow[]> {
  const k = ctx.db.kysely;
  const channels = await k
    .selectFrom('channels')
    .select(['id', 'name', 'type'])
    .where('account_id', '=', s.accountId)
    .$if(!!s.channel, (q) => q.where('id', '=', s.channel!))
    .orderBy('name')
    .execute();
  const per = async (what: 'opened_at' | 'resolved_at', seq0: boolean) =>
    new Map(
      (
        await filtered(k, k.selectFrom('report_cycles'), s)
          .select(['channel_id', sql<number>`count(*)`.as('n')])
          .where(what, '>=', s.from)
          .where(what, '<', s.to)
          .$if(seq0, (q) => q.where('seq', '=', 0))
          .groupBy('channel_id')
          .execute()
      ).map((r) => [r.channel_id, Number(r.n)]),
    );
  const created = await per('opened_at', true);
  const resolved = await per('resolved_at', false);
  const msgs = new Map<string, number>();
  for (const r of await messageQuarters(k, s, ['inbound', 'outbound'], 'channel_id', false))
    msgs.set(`${r.g}|${r.metric}`, (msgs.get(`${r.g}|${r.metric}`) ?? 0) + r.n);
  const frt = await spreadBy(ctx, s, 'first_response', 'channel_id');
  const res = await spreadBy(ctx, s, 'resolution', 'channel_id');
  const csat = await csatBy(k, s, 'channel_id');
  const none = { median: null, p90: null };
  return channels.map((c) => ({
    channelId: c.id,
    name: c.name,
    type: c.type,
    created: created.get(c.id) ?? 0,
    resolved: resolved.get(c.id) ?? 0,
    inbound: msgs.get(`${c.id}|inbound`) ?? 0,
    outbound: msgs.get(`${c.id}|outbound`) ?? 0,
    firstResponse: frt.get(c.id) ?? none,
    resolution: res.get(c.id) ?? none,
    csat: csat.get(c.id) ?? null,
  }));
}

/** How many durations fall in each band of DISTRIBUTION_BOUNDS (the FRT and resolution charts). */
export async function distribution(
  ctx: AppContext,
  s: ReportScope,
  kind: 'first_response' | 'resolution',
): Promise<ReportDistribution> {
  const col = sql.ref(msColumn(s));
  const bounds = DISTRIBUTION_BOUNDS.map((b) => b * 1000);
  const band = sql<number>`case ${sql.join(
    bounds.map((b, i) => sql`when ${col} < ${sql.lit(b)} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(bounds.length)} end`;
  const rows = await samplesIn(ctx.db.kysely, s, kind)
    .select([band.as('band'), sql<number>`count(*)`.as('n')])
    .groupBy(band)
    .execute();
  const counts = new Map(rows.map((r) => [Number(r.band), Number(r.n)]));
  const edges = [0, ...DISTRIBUTION_BOUNDS];
  return {
    data: edges.map((from, i) => ({ from, to: DISTRIBUTION_BOUNDS[i] ?? null, count: counts.get(i) ?? 0 })),
  };
}

export async function heatmap(ctx: AppContext, s: ReportScope): Promise<ReportHeatmap> {
  const k = ctx.db.kysely;
  const cal = new LocalCalendar(s.tz, s.from, s.to);
  const cells = Array.from({ length: 7 * 24 }, (_, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    inbound: 0,
    conversations: 0,
  }));
  const at = (t: number) => {
    const h = cal.hourOfWeek(t);
    return cells[h.weekday * 24 + h.hour]!;
  };
  for (const r of await messageQuarters(k, s, ['inbound'])) at(r.q).inbound += r.n;
  for (const [q, n] of await conversationQuarters(k, s, 'created')) at(q).conversations += n;
  return { data: cells };
}
