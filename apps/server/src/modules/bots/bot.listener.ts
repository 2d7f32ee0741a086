import { BOT_EVENT_TYPES, isEvent } from '@switchboard/shared';
import { perTransaction } from '../../infra/db/per-transaction.ts';
import type { InTransactionListener } from '../events/event-listeners.ts';
import { writeDelivery } from '../webhooks/webhook.listener.ts';
import { heldBy } from './bot-session.ts';

/**
 * An agent bot hears the events of the conversations it holds, as signed, retried, logged deliveries
 * to its endpoint (the outgoing webhooks' machinery), written in the event's transaction. Runs at the
 * end of that transaction: a conversation handed off in it is no longer the bot's, so the bot does not
 * hear the message that asked for people. Private notes are not sent.
 */
export const botListener: InTransactionListener = {
  name: 'bots.outbox',
  mode: 'in-transaction',
  events: BOT_EVENT_TYPES,
  async handle(_ctx, uow, event) {
    let conversationId: string;
    if (isEvent(event, 'message.created')) {
      if (event.payload.private) return;
      conversationId = event.payload.conversationId;
    } else if (isEvent(event, 'conversation.created', 'conversation.updated')) {
      conversationId = event.payload.id;
    } else return;
    // Once per transaction: no listener writes sessions, a conversation's status or endpoints.
    const bot = await perTransaction(uow, `bots.heldBy:${conversationId}`, () =>
      heldBy(uow.tx, conversationId),
    );
    const webhookId = bot?.webhook_id;
    if (!webhookId) return;
    const hook = await perTransaction(uow, `bots.webhook:${webhookId}`, () =>
      uow.tx.selectFrom('webhooks').select('active').where('id', '=', webhookId).executeTakeFirst(),
    );
    if (hook?.active !== 1) return;
    await writeDelivery(uow, webhookId, event);
  },
};
