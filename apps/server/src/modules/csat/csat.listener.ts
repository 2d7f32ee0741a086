import type { EventPayload } from '@switchboard/shared';
import type { InTransactionListener } from '../events/event-listeners.ts';
import { csatSurveyJob } from './csat-survey.job.ts';

/**
 * A resolution on a channel with the survey switched on writes the survey job in the resolving
 * transaction (durable: committed with the resolution, never sent for one that rolled back). The job
 * sends it after commit, because sending emits events and listeners may not.
 */
export const csatListener: InTransactionListener = {
  name: 'csat.survey',
  mode: 'in-transaction',
  events: ['conversation.resolved'],
  handle: async (_ctx, uow, event) => {
    const c = event.payload as EventPayload<'conversation.resolved'>;
    if (c.resolvedAt === null) return;
    const on = await uow.tx
      .selectFrom('csat_settings')
      .select('enabled')
      .where('channel_id', '=', c.channel.id)
      .executeTakeFirst();
    if (on?.enabled !== 1) return;
    await uow.enqueue(
      csatSurveyJob.input(
        { conversationId: c.id, resolvedAt: c.resolvedAt, assigneeId: c.assigneeId, teamId: c.teamId },
        { accountId: event.accountId, orderKey: `out:${c.id}` },
      ),
    );
  },
};
