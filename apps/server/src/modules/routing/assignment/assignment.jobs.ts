import { defineJob } from '../../../worker/define-job.ts';
import { loadConversationDto } from '../../conversations/conversation.dto.ts';
import { transact } from '../../events/unit-of-work.ts';
import { repliedSince } from '../replied-since.ts';
import { ROUTING_JOBS, routingPayloads } from '../routing-job-types.ts';
import { loadChannelRoutingById } from '../settings/routing-settings.ts';
import { drainQueue, reassignFromOffline } from './assignment-queue.ts';
import { autoAssign } from './assignment.service.ts';

export const drainJob = defineJob(ROUTING_JOBS.drain, routingPayloads.drain, async (ctx, { accountId }) => {
  await drainQueue(ctx, accountId);
});

export const offlineJob = defineJob(ROUTING_JOBS.offline, routingPayloads.offline, async (ctx, p) => {
  await reassignFromOffline(ctx, p.accountId, p.userId);
});

/** The assignee has not answered within the configured minutes: give the conversation to someone else. */
export const noReplyJob = defineJob(ROUTING_JOBS.noReply, routingPayloads.noReply, async (ctx, p) => {
  const { conversationId, assigneeId, assignedAt } = p;
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
});

/** A snoozed conversation whose time has come is open again (and queued for assignment). */
export const snoozeJob = defineJob(
  ROUTING_JOBS.snooze,
  routingPayloads.snooze,
  async (ctx, { conversationId }) => {
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
  },
);
