import type { ConversationDto } from '@switchboard/shared';
import type { InTransactionListener } from '../events/event-listeners.ts';
import { isHumanReply } from '../reports/cycle-reducer.ts';
import { factOfEvent } from '../reports/report-facts.ts';
import { applySlaFact, slaOfRow } from './sla-writer.ts';

const CONVERSATION_EVENTS = new Set([
  'conversation.created',
  'conversation.updated',
  'conversation.resolved',
  'conversation.reopened',
]);

/**
 * SLA targets move with the facts the report rollups count, in the same transaction and right after
 * them (it reads the cycle they just moved): listed after `reports.rollups` in src/listeners.ts.
 *
 * `settle` stamps the conversation events of the transaction with the SLA state at its end: their DTOs
 * were built before the listeners ran (and a `conversation.updated` precedes the message that starts a
 * clock), so without it the console would show the state before the change.
 */
export const slaListener: InTransactionListener = {
  name: 'sla.targets',
  mode: 'in-transaction',
  events: ['conversation.created', 'conversation.updated', 'message.created'],
  handle: async (_ctx, uow, event) => {
    const fact = factOfEvent(event);
    if (!fact || fact.kind === 'presence') return;
    const replier = fact.kind === 'message' && isHumanReply(fact) ? fact.authorId : null;
    await applySlaFact(uow, fact.conversationId, fact.at, replier);
  },
  settle: async (_ctx, uow, events) => {
    const convs = events.filter((e) => CONVERSATION_EVENTS.has(e.type));
    if (!convs.length) return;
    const ids = [...new Set(convs.map((e) => (e.payload as ConversationDto).id))];
    const rows = await uow.tx
      .selectFrom('conversations')
      .select(['id', 'sla_policy_id', 'sla_metric', 'sla_due_at', 'sla_breached'])
      .where('id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, slaOfRow(r)]));
    for (const e of convs) {
      const p = e.payload as ConversationDto;
      if (byId.has(p.id)) p.sla = byId.get(p.id)!;
    }
  },
};
