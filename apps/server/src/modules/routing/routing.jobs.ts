import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import type { JobHandler } from '../../worker/worker.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { transact } from '../events/unit-of-work.ts';
import { autoAssign } from './assignment/assignment.service.ts';
import { sendAutomatic } from './automatic-messages/automatic-messages.service.ts';
import { ROUTING_JOBS } from './routing-job-types.ts';
import { type ChannelRouting, loadChannelRoutingById } from './settings/routing-settings.ts';

/** How many queued conversations one drain job tries before handing the rest to a follow-up job. */
const DRAIN_BATCH = 200;

const priorityRank = sql<number>`case c.priority when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end`;

/**
 * Assigns waiting conversations of automatically assigning channels, highest priority then oldest
 * first, one transaction each. Stops early once nobody in the account has room.
 */
export async function drainQueue(ctx: AppContext, accountId: string): Promise<number> {
  const k = ctx.db.kysely;
  const queued = await k
    .selectFrom('conversations as c')
    .innerJoin('channel_routing as r', 'r.channel_id', 'c.channel_id')
    .select('c.id')
    .where('c.account_id', '=', accountId)
    .where('c.assignee_id', 'is', null)
    .where('c.status', '=', 'open')
    .where('r.assignment_mode', '!=', 'manual')
    .orderBy(priorityRank, 'desc')
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(DRAIN_BATCH)
    .execute();
  let assigned = 0;
  for (const { id } of queued) {
    const who = await transact(ctx, (uow) => autoAssign(ctx, uow, id, { reason: 'queue' }));
    if (who) assigned++;
    else if (!(await anyoneHasRoom(ctx, accountId))) break;
  }
  if (queued.length === DRAIN_BATCH && assigned > 0) {
    await transact(ctx, (uow) =>
      uow.enqueue({ type: ROUTING_JOBS.drain, payload: { accountId }, accountId }),
    );
  }
  return assigned;
}

async function anyoneHasRoom(ctx: AppContext, accountId: string): Promise<boolean> {
  const r = await ctx.db.kysely
    .selectFrom('memberships as m')
    .select('m.user_id')
    .where('m.account_id', '=', accountId)
    .where('m.active', '=', 1)
    .where('m.availability', '=', 'online')
    .where(
      (eb) =>
        eb
          .selectFrom('conversations as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.assignee_id', '=', 'm.user_id')
          .where('c.account_id', '=', accountId)
          .where('c.status', '=', 'open'),
      '<',
      (eb) => eb.ref('m.capacity'),
    )
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Hands an offline operator's open conversations to colleagues, or back to the queue. */
export async function reassignFromOffline(ctx: AppContext, accountId: string, userId: string): Promise<void> {
  const k = ctx.db.kysely;
  const m = await k
    .selectFrom('memberships')
    .select(['availability', 'active'])
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  // Back online before the job ran: nothing to hand over.
  if (!m || (m.active === 1 && m.availability !== 'offline')) return;
  const convs = await k
    .selectFrom('conversations as c')
    .innerJoin('channel_routing as r', 'r.channel_id', 'c.channel_id')
    .select(['c.id', 'c.channel_id'])
    .where('c.account_id', '=', accountId)
    .where('c.assignee_id', '=', userId)
    .where('c.status', '=', 'open')
    .where('r.assignment_mode', '!=', 'manual')
    .orderBy('c.created_at')
    .execute();
  const routings = new Map<string, ChannelRouting>();
  for (const c of convs) {
    let r = routings.get(c.channel_id);
    if (!r) {
      r = await loadChannelRoutingById(k, c.channel_id);
      routings.set(c.channel_id, r);
    }
    if (!r.settings.assignment.reassignOnOffline) continue;
    await transact(ctx, (uow) =>
      autoAssign(ctx, uow, c.id, {
        reason: 'offline',
        expectAssignee: userId,
        exclude: [userId],
        unassignIfNobody: true,
      }),
    );
  }
}

async function repliedSince(ctx: AppContext, conversationId: string, since: number, authorId?: string) {
  const r = await ctx.db.kysely
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('author_kind', '=', 'user')
    .where('direction', '=', 'out')
    .where('private', '=', 0)
    .where('created_at', '>=', since)
    .$if(authorId !== undefined, (q) => q.where('author_id', '=', authorId!))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

const drainJob: JobHandler = async (ctx, job) => {
  await drainQueue(ctx, (job.payload as { accountId: string }).accountId);
};

const offlineJob: JobHandler = async (ctx, job) => {
  const { accountId, userId } = job.payload as { accountId: string; userId: string };
  await reassignFromOffline(ctx, accountId, userId);
};

/** The assignee has not answered within the configured minutes: give the conversation to someone else. */
const noReplyJob: JobHandler = async (ctx: AppContext, job: ClaimedJob) => {
  const { conversationId, assigneeId, assignedAt } = job.payload as {
    conversationId: string;
    assigneeId: string;
    assignedAt: number;
  };
  const k = ctx.db.kysely;
  const conv = await k
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conv || conv.assignee_id !== assigneeId || conv.status !== 'open') return;
  if (await repliedSince(ctx, conv.id, assignedAt, assigneeId)) return;
  // A later assignment (even to the same operator) armed its own timer.
  const later = await k
    .selectFrom('conversation_assignments')
    .select('id')
    .where('conversation_id', '=', conv.id)
    .where('created_at', '>', assignedAt)
    .limit(1)
    .executeTakeFirst();
  if (later) return;
  const routing = await loadChannelRoutingById(k, conv.channel_id);
  if (routing.settings.assignment.mode === 'manual' || !routing.settings.assignment.noReplyReassignMinutes)
    return;
  await transact(ctx, (uow) =>
    autoAssign(ctx, uow, conv.id, { reason: 'no_reply', expectAssignee: assigneeId, exclude: [assigneeId] }),
  );
};

/** Nobody answered the customer within N minutes: tell them they were heard. */
const noAnswerJob: JobHandler = async (ctx, job) => {
  const { conversationId, since } = job.payload as { conversationId: string; since: number };
  const k = ctx.db.kysely;
  const conv = await k
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conv || conv.status === 'resolved') return;
  if (await repliedSince(ctx, conv.id, since)) return;
  const routing = await loadChannelRoutingById(k, conv.channel_id);
  await transact(ctx, (uow) => sendAutomatic(ctx, uow, conv, routing, 'no_answer'));
};

/** A snoozed conversation whose time has come is open again (and queued for assignment). */
const snoozeJob: JobHandler = async (ctx, job) => {
  const { conversationId } = job.payload as { conversationId: string };
  await transact(ctx, async (uow) => {
    const now = ctx.clock.now();
    const conv = await uow.tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (conv?.status !== 'snoozed' || conv.snoozed_until === null || conv.snoozed_until > now) return;
    await uow.tx
      .updateTable('conversations')
      .set({ status: 'open', snoozed_until: null, updated_at: now })
      .where('id', '=', conv.id)
      .execute();
    uow.emit(
      conv.account_id,
      'conversation.updated',
      (await loadConversationDto(uow.tx, conv.id, conv.account_id))!,
      conv.team_id,
    );
    if (conv.assignee_id === null) await autoAssign(ctx, uow, conv.id, { reason: 'queue' });
  });
};

export const routingJobHandlers: Record<string, JobHandler> = {
  [ROUTING_JOBS.drain]: drainJob,
  [ROUTING_JOBS.offline]: offlineJob,
  [ROUTING_JOBS.noReply]: noReplyJob,
  [ROUTING_JOBS.noAnswer]: noAnswerJob,
  [ROUTING_JOBS.snooze]: snoozeJob,
};
