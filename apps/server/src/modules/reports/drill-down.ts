import { sql } from 'kysely';
import type { conversationQuery } from '../conversations/conversation.dto.ts';

export interface DrillDown {
  createdFrom?: number;
  createdTo?: number;
  resolvedFrom?: number;
  resolvedTo?: number;
  reopenedFrom?: number;
  reopenedTo?: number;
  frtAbove?: number;
  csatBelow?: number;
  slaBreached?: boolean;
  slaFrom?: number;
  slaTo?: number;
  slaPolicy?: string;
  slaTeam?: string;
  slaOperator?: string;
}

type ListQuery = ReturnType<typeof conversationQuery>;

/**
 * The conversations behind a report figure: the same cycles and durations the figure was counted
 * from (report_cycles, report_samples), so the list and the number agree.
 */
export function withDrillDown(query: ListQuery, d: DrillDown): ListQuery {
  let q = query;
  if (d.createdFrom !== undefined) q = q.where('c.created_at', '>=', d.createdFrom);
  if (d.createdTo !== undefined) q = q.where('c.created_at', '<', d.createdTo);
  if (d.resolvedFrom !== undefined || d.resolvedTo !== undefined)
    q = q.where(cycleExists('resolved_at', d.resolvedFrom, d.resolvedTo, false));
  if (d.reopenedFrom !== undefined || d.reopenedTo !== undefined)
    q = q.where(cycleExists('opened_at', d.reopenedFrom, d.reopenedTo, true));
  if (d.frtAbove !== undefined) {
    const ms = Math.floor(d.frtAbove * 1000);
    q = q.where(
      sql<boolean>`exists (select 1 from report_samples s where s.conversation_id = c.id and s.kind = 'first_response' and s.ms > ${ms})`,
    );
  }
  if (d.csatBelow !== undefined)
    q = q.where(
      sql<boolean>`exists (select 1 from report_csat r where r.conversation_id = c.id and r.rating < ${d.csatBelow})`,
    );
  if (d.slaBreached !== undefined) {
    // The same target rows the SLA figures are counted from (docs/metrics.md, "SLA").
    const conds = [sql`t.conversation_id = c.id`, sql`t.outcome = 'breached'`];
    if (d.slaFrom !== undefined) conds.push(sql`t.decided_at >= ${d.slaFrom}`);
    if (d.slaTo !== undefined) conds.push(sql`t.decided_at < ${d.slaTo}`);
    if (d.slaPolicy) conds.push(sql`t.policy_id = ${d.slaPolicy}`);
    if (d.slaTeam) conds.push(sql`t.team_id = ${d.slaTeam}`);
    if (d.slaOperator) conds.push(sql`t.user_id = ${d.slaOperator}`);
    const exists = sql<boolean>`exists (select 1 from sla_targets t where ${sql.join(conds, sql` and `)})`;
    q = q.where(d.slaBreached ? exists : sql<boolean>`not ${exists}`);
  }
  return q;
}

function cycleExists(
  col: 'resolved_at' | 'opened_at',
  from: number | undefined,
  to: number | undefined,
  reopenings: boolean,
) {
  const conds = [sql`r.conversation_id = c.id`];
  if (from !== undefined) conds.push(sql`${sql.ref(`r.${col}`)} >= ${from}`);
  if (to !== undefined) conds.push(sql`${sql.ref(`r.${col}`)} < ${to}`);
  if (reopenings) conds.push(sql`r.seq > 0`);
  return sql<boolean>`exists (select 1 from report_cycles r where ${sql.join(conds, sql` and `)})`;
}
