import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { loadConversationDto } from '../../conversations/conversation.dto.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { type ChannelRouting, loadChannelRoutingById } from '../settings/routing-settings.ts';
import { ROUTING_JOBS } from '../routing-job-types.ts';
import { insertSystemMessage } from '../automatic-messages/system-message.ts';

export type AssignReason = 'auto' | 'sticky' | 'queue' | 'manual' | 'offline' | 'no_reply';

export interface AutoAssignOptions {
  reason: Exclude<AssignReason, 'sticky' | 'manual'>;
  /** The assignee the conversation must still have (a reassignment); default: it must be unassigned. */
  expectAssignee?: string | null;
  /** Operators who may not get it (the one it is taken from). */
  exclude?: string[];
  /** When nobody can take it, return it to the queue instead of leaving it where it is. */
  unassignIfNobody?: boolean;
}

interface Candidate {
  userId: string;
  capacity: number;
  load: number;
  /** Time-ordered id of the operator's latest assignment (UUIDv7, so also right within one millisecond). */
  lastAssignmentId: string | null;
}

/**
 * Picks an operator for one conversation and assigns it, inside the caller's transaction.
 *
 * Concurrency: the conversation row and then the chosen operator's membership row are locked (on
 * PostgreSQL; SQLite has one writer at a time), and both the conversation's state and the operator's
 * load are re-read after locking. Two nodes assigning at once therefore serialise on the operator: the
 * second sees the first one's assignment and moves on, so capacity is never exceeded and a conversation
 * is never assigned twice. Locks are always taken conversation first, membership second.
 */
export async function autoAssign(
  ctx: AppContext,
  uow: UnitOfWork,
  conversationId: string,
  opts: AutoAssignOptions,
): Promise<string | null> {
  const tx = uow.tx;
  const pg = ctx.db.dialect === 'postgres';
  const conv = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .$if(pg, (q) => q.forUpdate())
    .executeTakeFirst();
  if (conv?.status !== 'open' || conv.assignee_id !== (opts.expectAssignee ?? null)) return null;
  const routing = await loadChannelRoutingById(tx, conv.channel_id);
  if (routing.settings.assignment.mode === 'manual') return null;

  const candidates = await loadCandidates(tx, conv, opts.exclude ?? []);
  const sticky = routing.settings.assignment.sticky ? await lastOperatorOf(tx, conv) : null;
  const ordered = orderCandidates(candidates, routing.settings.assignment.mode, sticky);
  for (const c of ordered) {
    if (!(await lockIfRoom(tx, conv.account_id, c.userId, pg))) continue;
    const reason = c.userId === sticky ? 'sticky' : opts.reason;
    await changeAssignee(ctx, uow, conv, c.userId, reason, null, routing);
    return c.userId;
  }
  if (opts.unassignIfNobody && conv.assignee_id !== null) {
    await changeAssignee(ctx, uow, conv, null, opts.reason, null, routing);
  }
  return null;
}

/** Online, active operators of the conversation's team (or of the account) with their load. */
async function loadCandidates(tx: Tx, conv: Row<'conversations'>, exclude: string[]): Promise<Candidate[]> {
  const rows = await tx
    .selectFrom('memberships as m')
    .select(['m.user_id', 'm.capacity'])
    .select((eb) =>
      eb
        .selectFrom('conversations as c')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('c.assignee_id', '=', 'm.user_id')
        .where('c.account_id', '=', conv.account_id)
        .where('c.status', '=', 'open')
        .as('load'),
    )
    .select((eb) =>
      eb
        .selectFrom('conversation_assignments as a')
        .select((sub) => sub.fn.max('a.id').as('t'))
        .whereRef('a.user_id', '=', 'm.user_id')
        .where('a.account_id', '=', conv.account_id)
        .as('last_assignment_id'),
    )
    .where('m.account_id', '=', conv.account_id)
    .where('m.active', '=', 1)
    .where('m.availability', '=', 'online')
    .$if(conv.team_id !== null, (q) =>
      q.where('m.user_id', 'in', (eb) =>
        eb.selectFrom('team_members').select('user_id').where('team_id', '=', conv.team_id!),
      ),
    )
    .$if(exclude.length > 0, (q) => q.where('m.user_id', 'not in', exclude))
    .execute();
  return rows
    .map((r) => ({
      userId: r.user_id,
      capacity: r.capacity,
      load: Number(r.load ?? 0),
      lastAssignmentId: r.last_assignment_id ?? null,
    }))
    .filter((c) => c.load < c.capacity);
}

/** The operator who last wrote to this customer (any channel, any earlier conversation). */
async function lastOperatorOf(tx: Tx, conv: Row<'conversations'>): Promise<string | null> {
  const r = await tx
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select('m.author_id')
    .where('c.contact_id', '=', conv.contact_id)
    .where('c.account_id', '=', conv.account_id)
    .where('m.author_kind', '=', 'user')
    .where('m.direction', '=', 'out')
    .where('m.private', '=', 0)
    .orderBy('m.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.author_id ?? null;
}

/**
 * Round-robin: whoever got a conversation longest ago (never = first). Least-loaded: fewest open
 * conversations, ties broken the round-robin way. The customer's last operator goes first when sticky.
 */
export function orderCandidates(
  list: Candidate[],
  mode: ChannelRouting['settings']['assignment']['mode'],
  sticky: string | null,
): Candidate[] {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const byTurn = (a: Candidate, b: Candidate) =>
    cmp(a.lastAssignmentId ?? '', b.lastAssignmentId ?? '') || cmp(a.userId, b.userId);
  const sorted = [...list].sort(mode === 'least_loaded' ? (a, b) => a.load - b.load || byTurn(a, b) : byTurn);
  const s = sticky ? sorted.findIndex((c) => c.userId === sticky) : -1;
  if (s > 0) sorted.unshift(...sorted.splice(s, 1));
  return sorted;
}

/** Locks the operator's membership and re-checks, under the lock, that they are online with room. */
async function lockIfRoom(tx: Tx, accountId: string, userId: string, pg: boolean): Promise<boolean> {
  const m = await tx
    .selectFrom('memberships')
    .select(['availability', 'active', 'capacity'])
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .$if(pg, (q) => q.forUpdate())
    .executeTakeFirst();
  if (m?.active !== 1 || m.availability !== 'online') return false;
  const load = await tx
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('assignee_id', '=', userId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(load.n) < m.capacity;
}

/** Sets the assignee and records the change; emits conversation.updated and the system message. */
export async function changeAssignee(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Row<'conversations'>,
  to: string | null,
  reason: AssignReason,
  actorId: string | null,
  routing: ChannelRouting,
): Promise<void> {
  const now = ctx.clock.now();
  await uow.tx
    .updateTable('conversations')
    .set({ assignee_id: to, updated_at: now })
    .where('id', '=', conv.id)
    .execute();
  const dto = (await loadConversationDto(uow.tx, conv.id, conv.account_id))!;
  uow.emit(conv.account_id, 'conversation.updated', dto, conv.team_id);
  await recordAssignmentChange(ctx, uow, conv, conv.assignee_id, to, reason, actorId, routing);
}

/**
 * Writes the history row and the system message of an assignment change (the conversation row is
 * already updated), and arms the no-reply timer for the new assignee.
 */
export async function recordAssignmentChange(
  ctx: AppContext,
  uow: UnitOfWork,
  conv: Pick<Row<'conversations'>, 'id' | 'account_id' | 'channel_id' | 'team_id'>,
  from: string | null,
  to: string | null,
  reason: AssignReason,
  actorId: string | null,
  routing: ChannelRouting,
  opts: { systemLine?: boolean } = {},
): Promise<void> {
  const now = ctx.clock.now();
  await uow.tx
    .insertInto('conversation_assignments')
    .values({
      id: newId(now),
      account_id: conv.account_id,
      conversation_id: conv.id,
      user_id: to,
      previous_user_id: from,
      reason,
      actor_id: actorId,
      created_at: now,
    })
    .execute();
  if (opts.systemLine !== false) {
    const names = await userNames(uow.tx, [from, to, actorId]);
    await insertSystemMessage(ctx, uow, conv, describeChange(names, from, to, reason, actorId, routing), {
      event: 'assignment',
      from,
      to,
      reason,
      actorId,
    });
  }
  const minutes = routing.settings.assignment.noReplyReassignMinutes;
  if (to && minutes && routing.settings.assignment.mode !== 'manual') {
    await uow.enqueue({
      type: ROUTING_JOBS.noReply,
      payload: { conversationId: conv.id, assigneeId: to, assignedAt: now },
      accountId: conv.account_id,
      runAt: now + minutes * 60_000,
    });
  }
}

async function userNames(tx: Tx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (!wanted.length) return new Map();
  const rows = await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function describeChange(
  names: Map<string, string>,
  from: string | null,
  to: string | null,
  reason: AssignReason,
  actorId: string | null,
  routing: ChannelRouting,
): string {
  const n = (id: string | null) => (id ? (names.get(id) ?? 'a former user') : 'nobody');
  const why: Record<AssignReason, string> = {
    auto:
      routing.settings.assignment.mode === 'least_loaded'
        ? 'automatically (least loaded)'
        : 'automatically (round-robin)',
    sticky: 'automatically (talked to this customer last)',
    queue: 'from the queue',
    manual: actorId && actorId !== to ? `by ${n(actorId)}` : '',
    offline: `because ${n(from)} went offline`,
    no_reply: `because ${n(from)} did not answer within ${routing.settings.assignment.noReplyReassignMinutes ?? 0} minutes`,
  };
  const tail = why[reason] ? ` ${why[reason]}` : '';
  if (to && !from)
    return reason === 'manual' && actorId === to
      ? `${n(to)} took the conversation`
      : `Assigned to ${n(to)}${tail}`;
  if (to && from) return `Reassigned from ${n(from)} to ${n(to)}${tail}`;
  return `Returned to the queue${tail}`;
}
