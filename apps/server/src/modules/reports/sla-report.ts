import type { SlaRow } from '@switchboard/shared';
import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { bucketIndex } from './report-calendar.ts';
import type { ReportScope } from './report-period.ts';
import { filtered } from './scope-filters.ts';

/** SLA targets decided (met or breached) in the period, under the scope's filters (docs/metrics.md, "SLA"). */
function decidedIn(k: Tx, s: ReportScope) {
  return filtered(
    k,
    k
      .selectFrom('sla_targets')
      .where('outcome', 'is not', null)
      .where('decided_at', '>=', s.from)
      .where('decided_at', '<', s.to),
    s,
  );
}

export function metPercent(met: number, measured: number): number | null {
  return measured ? Math.round((met / measured) * 1000) / 10 : null;
}

const counts = {
  measured: sql<number>`count(*)`.as('measured'),
  met: sql<number>`sum(case when outcome = 'met' then 1 else 0 end)`.as('met'),
};

export async function slaOverview(k: Tx, s: ReportScope) {
  const [r, p] = await Promise.all([
    decidedIn(k, s).select([counts.measured, counts.met]).executeTakeFirstOrThrow(),
    k
      .selectFrom('sla_policies')
      .select(sql<number>`count(*)`.as('n'))
      .where('account_id', '=', s.accountId)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow(),
  ]);
  const measured = Number(r.measured);
  const met = Number(r.met ?? 0);
  return {
    policies: Number(p.n),
    measured,
    met,
    breached: measured - met,
    metPercent: metPercent(met, measured),
  };
}

const GROUP_COLUMN = { policy: 'policy_id', team: 'team_id', operator: 'user_id' } as const;

/** % met per policy, team (at the decision) or operator (credited: the replier for met responses, else the assignee). */
export async function slaBy(k: Tx, s: ReportScope, group: keyof typeof GROUP_COLUMN): Promise<SlaRow[]> {
  const column = GROUP_COLUMN[group];
  const rows = await decidedIn(k, s)
    .select([sql<string | null>`${sql.ref(column)}`.as('g'), counts.measured, counts.met])
    .groupBy(column)
    .execute();
  const ids = rows.map((r) => r.g).filter((g): g is string => !!g);
  const names = new Map<string, string>();
  if (ids.length) {
    const named =
      group === 'policy'
        ? await k.selectFrom('sla_policies').select(['id', 'name']).where('id', 'in', ids).execute()
        : group === 'team'
          ? await k.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute()
          : await k.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const n of named) names.set(n.id, n.name);
  }
  return rows
    .map((r) => {
      const measured = Number(r.measured);
      const met = Number(r.met ?? 0);
      return {
        id: r.g,
        name: r.g ? (names.get(r.g) ?? null) : null,
        measured,
        met,
        breached: measured - met,
        metPercent: metPercent(met, measured),
      };
    })
    .sort((a, b) => b.measured - a.measured || String(a.name).localeCompare(String(b.name)));
}

/** `sla_met_percent` per bucket: of the targets decided in it (null in a bucket with none). */
export async function slaSeries(k: Tx, s: ReportScope, starts: number[]): Promise<Array<number | null>> {
  const n = starts.map(() => 0);
  const met = starts.map(() => 0);
  for (const r of await decidedIn(k, s).select(['decided_at', 'outcome']).execute()) {
    const i = bucketIndex(starts, Number(r.decided_at));
    if (i < 0) continue;
    n[i]! += 1;
    if (r.outcome === 'met') met[i]! += 1;
  }
  return n.map((c, i) => metPercent(met[i]!, c));
}
