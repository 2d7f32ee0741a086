import { type SelectQueryBuilder, sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { Database } from '../../infra/db/schema.ts';
import type { SampleKind } from './cycle-reducer.ts';
import type { ReportScope } from './report-period.ts';

type Tables = 'report_cycles' | 'report_samples' | 'report_counts' | 'report_csat' | 'sla_targets';

/** Conversations that carry the label now (docs/metrics.md: label filter). */
function labelled(k: Tx, s: ReportScope) {
  return k
    .selectFrom('conversation_labels')
    .select('conversation_labels.conversation_id')
    .where('conversation_labels.account_id', '=', s.accountId)
    .where('conversation_labels.label', '=', s.label!);
}

/** Channel, team, operator (the column the figure is credited to) and label, where given. */
export function filtered<T extends Tables, O>(
  k: Tx,
  q: SelectQueryBuilder<Database, T, O>,
  s: ReportScope,
  userColumn: 'user_id' | 'first_responder_id' = 'user_id',
): SelectQueryBuilder<Database, T, O> {
  // Counts store "none" as '' (part of the primary key); the other tables as null. Filters name real ids.
  let out = q.where(sql.ref('account_id'), '=', s.accountId);
  if (s.channel) out = out.where(sql.ref('channel_id'), '=', s.channel);
  if (s.team) out = out.where(sql.ref('team_id'), '=', s.team);
  if (s.operator) out = out.where(sql.ref(userColumn), '=', s.operator);
  if (s.label) out = out.where(sql.ref('conversation_id'), 'in', labelled(k, s));
  return out;
}

export function samplesIn(k: Tx, s: ReportScope, kind: SampleKind) {
  return filtered(
    k,
    k.selectFrom('report_samples').where('kind', '=', kind).where('at', '>=', s.from).where('at', '<', s.to),
    s,
  );
}

/** The duration column the scope asks for, in ms. */
export function msColumn(s: ReportScope): 'ms' | 'business_ms' {
  return s.business ? 'business_ms' : 'ms';
}

/** Nearest-rank percentile of ascending values (docs/metrics.md), in whole seconds. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (!sorted.length) return null;
  return Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! / 1000);
}

export function sortedMs(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}
