import { defineJob } from '../../../worker/define-job.ts';
import { transact } from '../../events/unit-of-work.ts';
import { repliedSince } from '../replied-since.ts';
import { ROUTING_JOBS, routingPayloads } from '../routing-job-types.ts';
import { loadChannelRoutingById } from '../settings/routing-settings.ts';
import { sendAutomatic } from './automatic-messages.service.ts';

/** Nobody answered the customer within N minutes: tell them they were heard. */
export const noAnswerJob = defineJob(ROUTING_JOBS.noAnswer, routingPayloads.noAnswer, async (ctx, p) => {
  const { conversationId, since } = p;
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
});
