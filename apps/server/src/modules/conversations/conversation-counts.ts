import { CONVERSATION_STATUSES, type ConversationStatus } from '@switchboard/shared';
import type { RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

/** Whose a conversation is, from one operator's point of view. */
type Bucket = 'mine' | 'unassigned' | 'others';

/** One group of the account's (visible) conversations: every conversation falls in exactly one. */
export interface CountGroup {
  status: ConversationStatus;
  teamId: string | null;
  channelId: string;
  bucket: Bucket;
  count: number;
}

export interface CountFilter {
  status?: ConversationStatus;
  team?: string;
  channel?: string;
  assignee?: 'me' | 'none';
}

export interface ConversationCounts {
  views: { mine: number; unassigned: number; all: number };
  statuses: Record<ConversationStatus, number>;
  teams: { teamId: string | null; count: number }[];
  channels: { channelId: string; count: number }[];
}

/**
 * Counts the conversations a user can see, grouped by status, team, channel and assignee, in one
 * query that reads only `conversations_counts_idx` (never the rows), in the index's own order so the
 * database streams the groups without sorting. The groups are few — the combinations in use, however
 * many conversations there are — and are folded into "mine / unassigned / someone else's" here.
 * `teams` limits an operator to conversations without a team and those of their teams. `narrow`: the
 * list's label, attribute and SLA state filters (listFilterConditions); these read the rows, so only
 * a request that filters by them pays for that.
 */
export async function countGroups(
  k: Tx,
  accountId: string,
  userId: string,
  teams: string[] | undefined,
  narrow: RawBuilder<boolean>[] = [],
): Promise<CountGroup[]> {
  let q = k
    .selectFrom('conversations as c')
    .select([
      'c.status',
      'c.team_id',
      'c.channel_id',
      'c.assignee_id',
      (eb) => eb.fn.countAll<number | string>().as('n'),
    ])
    .where('c.account_id', '=', accountId)
    .groupBy(['c.status', 'c.team_id', 'c.channel_id', 'c.assignee_id']);
  for (const cond of narrow) q = q.where(cond);
  const rows = await q.execute();
  // Team visibility is applied to the groups, not in SQL: a condition on team_id makes SQLite sort
  // the whole scan for the grouping instead of streaming it off the index.
  const visible = teams ? new Set(teams) : undefined;
  const byKey = new Map<string, CountGroup>();
  for (const r of rows) {
    if (!(CONVERSATION_STATUSES as readonly string[]).includes(r.status)) continue;
    if (visible && r.team_id !== null && !visible.has(r.team_id)) continue;
    const bucket: Bucket =
      r.assignee_id === null ? 'unassigned' : r.assignee_id === userId ? 'mine' : 'others';
    const key = JSON.stringify([r.status, r.team_id, r.channel_id, bucket]);
    const g = byKey.get(key);
    if (g) g.count += Number(r.n);
    else
      byKey.set(key, {
        status: r.status as ConversationStatus,
        teamId: r.team_id,
        channelId: r.channel_id,
        bucket,
        count: Number(r.n),
      });
  }
  return [...byKey.values()];
}

/**
 * The figures the inbox shows: each view under the filter, and each status, team and channel under
 * the other filters (so a picker can show what choosing it would give).
 */
export function summarise(groups: CountGroup[], f: CountFilter): ConversationCounts {
  const inView = (g: CountGroup) =>
    f.assignee === 'me' ? g.bucket === 'mine' : f.assignee === 'none' ? g.bucket === 'unassigned' : true;
  const pass = (g: CountGroup, skip: 'status' | 'team' | 'channel' | 'view') =>
    (skip === 'status' || !f.status || g.status === f.status) &&
    (skip === 'team' || f.team === undefined || g.teamId === f.team) &&
    (skip === 'channel' || f.channel === undefined || g.channelId === f.channel) &&
    (skip === 'view' || inView(g));
  const views = { mine: 0, unassigned: 0, all: 0 };
  const statuses = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<
    ConversationStatus,
    number
  >;
  const teams = new Map<string | null, number>();
  const channels = new Map<string, number>();
  for (const g of groups) {
    if (pass(g, 'view')) {
      views.all += g.count;
      if (g.bucket === 'mine') views.mine += g.count;
      if (g.bucket === 'unassigned') views.unassigned += g.count;
    }
    if (pass(g, 'status')) statuses[g.status] += g.count;
    if (pass(g, 'team')) teams.set(g.teamId, (teams.get(g.teamId) ?? 0) + g.count);
    if (pass(g, 'channel')) channels.set(g.channelId, (channels.get(g.channelId) ?? 0) + g.count);
  }
  return {
    views,
    statuses,
    teams: [...teams].map(([teamId, count]) => ({ teamId, count })),
    channels: [...channels].map(([channelId, count]) => ({ channelId, count })),
  };
}
