import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { ReportScope } from './report-period.ts';
import { filtered } from './scope-filters.ts';

export interface ConversationCounts {
  created: number;
  resolved: number;
  reopened: number;
  openAtEnd: number;
}

function cycles(k: Tx, s: ReportScope) {
  return filtered(k, k.selectFrom('report_cycles'), s);
}

const n = sql<number>`count(*)`.as('n');

/** Created, reopened, resolved in the scope and open at its end, from the cycle rows. */
export async function conversationCounts(k: Tx, s: ReportScope): Promise<ConversationCounts> {
  const opened = await cycles(k, s)
    .select([sql<number>`case when seq = 0 then 0 else 1 end`.as('re'), n])
    .where('opened_at', '>=', s.from)
    .where('opened_at', '<', s.to)
    .groupBy(sql`case when seq = 0 then 0 else 1 end`)
    .execute();
  const resolved = await cycles(k, s)
    .select(n)
    .where('resolved_at', '>=', s.from)
    .where('resolved_at', '<', s.to)
    .executeTakeFirstOrThrow();
  // Two index ranges instead of an OR, which neither planner turns into index lookups.
  const stillOpen = await cycles(k, s)
    .select(n)
    .where('resolved_at', 'is', null)
    .where('opened_at', '<', s.to)
    .executeTakeFirstOrThrow();
  const resolvedLater = await cycles(k, s)
    .select(n)
    .where('resolved_at', '>=', s.to)
    .where('opened_at', '<', s.to)
    .executeTakeFirstOrThrow();
  const byRe = (re: number) => Number(opened.find((r) => Number(r.re) === re)?.n ?? 0);
  return {
    created: byRe(0),
    reopened: byRe(1),
    resolved: Number(resolved.n),
    openAtEnd: Number(stillOpen.n) + Number(resolvedLater.n),
  };
}

/** Cycle openings (created or reopened) or resolutions per quarter hour: [quarterStart, count]. */
export async function conversationQuarters(
  k: Tx,
  s: ReportScope,
  what: 'created' | 'reopened' | 'resolved',
): Promise<Array<[number, number]>> {
  const col = what === 'resolved' ? 'resolved_at' : 'opened_at';
  let q = cycles(k, s)
    .select([sql<number>`(${sql.ref(col)} / 900000) * 900000`.as('q'), n])
    .where(col, '>=', s.from)
    .where(col, '<', s.to);
  if (what === 'created') q = q.where('seq', '=', 0);
  if (what === 'reopened') q = q.where('seq', '>', 0);
  const rows = await q.groupBy(sql`(${sql.ref(col)} / 900000) * 900000`).execute();
  return rows.map((r) => [Number(r.q), Number(r.n)]);
}
