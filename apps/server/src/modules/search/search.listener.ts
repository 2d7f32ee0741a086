import type { InTransactionListener } from '../events/event-listeners.ts';
import { isEvent } from '../events/event-listeners.ts';
import { indexContact, indexMessage } from './search-index.ts';

/**
 * Every new message is searchable at commit: indexed in its own transaction. A message from the
 * customer's side (theirs, or an echo of one typed in the provider's app) may have come with a new
 * name for the contact, so the contact's entry is refreshed too (an unchanged entry is not rewritten).
 */
export const searchListener: InTransactionListener = {
  name: 'search.index',
  mode: 'in-transaction',
  events: ['message.created'],
  async handle(ctx, uow, event) {
    if (!isEvent(event, 'message.created')) return;
    const m = event.payload;
    await indexMessage(ctx, uow.tx, m.id);
    if (m.direction !== 'in' && !m.meta.sentOutside) return;
    const conv = await uow.tx
      .selectFrom('conversations')
      .select('contact_id')
      .where('id', '=', m.conversationId)
      .executeTakeFirst();
    if (conv) await indexContact(ctx, uow.tx, conv.contact_id);
  },
};
