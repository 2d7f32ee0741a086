import { type ConversationStatus, conversationSchema } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ConversationFact, MessageFact, ReportFact } from './report-facts.ts';

/** What a rebuild reads of a stored conversation event; events written before `updatedAt` lack it. */
const storedStatus = conversationSchema
  .pick({ id: true, status: true, updatedAt: true })
  .partial({ updatedAt: true });

/** A status the retained event log shows a conversation entering (only the changes are kept). */
export interface StatusChange {
  at: number;
  status: ConversationStatus;
}

/**
 * Status changes per conversation from the retained event log (older events were pruned by retention;
 * the conversation row then supplies its last resolution).
 */
export async function statusChanges(tx: Tx, accountId: string): Promise<Map<string, StatusChange[]>> {
  const out = new Map<string, StatusChange[]>();
  let after = 0;
  for (;;) {
    const rows = await tx
      .selectFrom('account_events')
      .select(['seq', 'payload', 'created_at'])
      .where('account_id', '=', accountId)
      .where('type', 'in', ['conversation.created', 'conversation.updated'])
      .where('seq', '>', after)
      .$narrowType<{ seq: number }>()
      .orderBy('seq')
      .limit(5000)
      .execute();
    if (!rows.length) return out;
    for (const r of rows) {
      const c = storedStatus.parse(JSON.parse(r.payload));
      const list = out.get(c.id) ?? [];
      if (list.at(-1)?.status !== c.status) list.push({ at: c.updatedAt ?? r.created_at, status: c.status });
      out.set(c.id, list);
    }
    after = rows.at(-1)!.seq;
  }
}

type Timed = { fact: ReportFact; order: number };

/**
 * One conversation's history as facts, oldest first: its creation, each assignment change, each known
 * status change, each message. The team is the current one (team moves are not kept in history).
 */
export function conversationHistory(
  c: Row<'conversations'>,
  messages: Row<'messages'>[],
  assignments: Row<'conversation_assignments'>[],
  changes: StatusChange[],
): ReportFact[] {
  // Merged away: what happened from the merge on is the kept conversation's (as live: rollup-writer.ts).
  const mergedAt = c.merged_into ? c.merged_at : null;
  const known = changes.filter((k) => mergedAt === null || k.at < mergedAt);
  const last = known.at(-1);
  const resolvedNow = c.status === 'resolved';
  if (
    resolvedNow &&
    c.resolved_at !== null &&
    (mergedAt === null || c.resolved_at < mergedAt) &&
    (last?.status !== 'resolved' || last.at < c.resolved_at)
  )
    known.push({ at: c.resolved_at, status: 'resolved' });
  else if (!resolvedNow && last?.status === 'resolved')
    known.push({ at: c.updated_at, status: c.status as ConversationStatus });

  const timed: Timed[] = [];
  const base = {
    kind: 'conversation' as const,
    accountId: c.account_id,
    conversationId: c.id,
    channelId: c.channel_id,
    teamId: c.team_id,
    createdAt: c.created_at,
  };
  // Assignment and status changes are merged into full snapshots, in time order.
  const points = [
    ...assignments.map((a) => ({
      at: a.created_at,
      assignee: a.user_id as string | null,
      status: undefined as ConversationStatus | undefined,
    })),
    ...known.map((k) => ({
      at: k.at,
      assignee: undefined as string | null | undefined,
      status: k.status as ConversationStatus | undefined,
    })),
  ].sort((a, b) => a.at - b.at);
  let assignee: string | null = null;
  let status: ConversationStatus = 'open';
  timed.push({ fact: { ...base, at: c.created_at, assigneeId: null, status: 'open' }, order: 0 });
  for (const p of points) {
    if (p.assignee !== undefined) assignee = p.assignee;
    if (p.status !== undefined) status = p.status;
    const fact: ConversationFact = {
      ...base,
      at: Math.max(p.at, c.created_at),
      assigneeId: assignee,
      status,
    };
    timed.push({ fact, order: 1 });
  }
  if (mergedAt !== null && c.merged_into)
    timed.push({
      fact: { ...base, at: mergedAt, assigneeId: assignee, status: 'resolved', mergedInto: c.merged_into },
      order: 1,
    });
  for (const m of messages) {
    const fact: MessageFact = {
      kind: 'message',
      at: m.created_at,
      accountId: c.account_id,
      conversationId: c.id,
      channelId: m.channel_id,
      direction: m.direction as 'in' | 'out',
      authorKind: m.author_kind as MessageFact['authorKind'],
      authorId: m.author_id,
      private: m.private === 1,
    };
    timed.push({ fact, order: 2 });
  }
  // Stable: at one instant the conversation change comes first, as the live transactions emit it.
  return timed.sort((a, b) => a.fact.at - b.fact.at || a.order - b.order).map((t) => t.fact);
}
