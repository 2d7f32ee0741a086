import { type EventEnvelope, isEvent, PUBLIC_EVENT_TYPES } from '@switchboard/shared';
import { newId } from '../../infra/crypto/ids.ts';
import { perTransaction } from '../../infra/db/per-transaction.ts';
import type { EmittedEvent, InTransactionListener, ListenerUnitOfWork } from '../events/event-listeners.ts';
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from './deliver-webhook.job.ts';

/** Retries of one delivery stop this long after the event (or after an admin's redelivery). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What a delivery must wait behind: the endpoint's earlier deliveries about the same conversation (or
 * contact), so a receiver never sees a message before the conversation it belongs to, even across
 * retries. Unrelated conversations do not wait for each other.
 */
export function deliveryOrderKey(webhookId: string, e: EmittedEvent): string {
  if (
    isEvent(
      e,
      'conversation.created',
      'conversation.updated',
      'conversation.resolved',
      'conversation.reopened',
    )
  )
    return `wh:${webhookId}:c:${e.payload.id}`;
  if (isEvent(e, 'message.created', 'message.updated', 'sla.breached', 'csat.received'))
    return `wh:${webhookId}:c:${e.payload.conversationId}`;
  if (isEvent(e, 'contact.erased')) return `wh:${webhookId}:p:${e.payload.contactId}`;
  if (isEvent(e, 'contact.created', 'contact.updated')) return `wh:${webhookId}:p:${e.payload.id}`;
  return `wh:${webhookId}`;
}

/** Once per transaction: a broadcast's hundreds of events, or a reply's few, read the endpoints once. */
function activeHooks(
  uow: ListenerUnitOfWork,
  accountId: string,
): Promise<{ id: string; events: string[] }[]> {
  return perTransaction(uow, `webhooks:${accountId}`, () =>
    uow.tx
      .selectFrom('webhooks')
      .select(['id', 'events'])
      .where('account_id', '=', accountId)
      .where('active', '=', 1)
      // A bot's endpoint hears only the conversations it holds (modules/bots/bot.listener.ts).
      .where('bot_id', 'is', null)
      .execute()
      .then((rows) => rows.map((r) => ({ id: r.id, events: JSON.parse(r.events) as string[] }))),
  );
}

/**
 * Outgoing webhooks: for each active endpoint of the account that subscribed to the event, one
 * delivery row and its send job, in the event's own transaction — an event that commits is delivered
 * (at least once, same delivery id every time), one that rolls back never is.
 */
export const webhookListener: InTransactionListener = {
  name: 'webhooks.outbox',
  mode: 'in-transaction',
  events: PUBLIC_EVENT_TYPES,
  async handle(_ctx, uow, event) {
    const hooks = await activeHooks(uow, event.accountId);
    const subscribed = hooks.filter((h) => h.events.includes(event.type));
    if (!subscribed.length) return;
    for (const h of subscribed) await writeDelivery(uow, h.id, event);
  },
};

/**
 * One delivery of an event to one endpoint and its send job, in the event's transaction (the body is
 * serialised once and stored, so every retry sends the same bytes). Bots' endpoints use it too.
 */
export async function writeDelivery(
  uow: ListenerUnitOfWork,
  webhookId: string,
  event: EmittedEvent,
): Promise<void> {
  const envelope: EventEnvelope = {
    id: event.id,
    type: event.type,
    accountId: event.accountId,
    createdAt: event.createdAt,
    data: event.payload,
  };
  const body = JSON.stringify(envelope);
  const id = newId(event.createdAt);
  const orderKey = deliveryOrderKey(webhookId, event);
  await uow.tx
    .insertInto('webhook_deliveries')
    .values({
      id,
      account_id: event.accountId,
      webhook_id: webhookId,
      event_id: event.id,
      event_type: event.type,
      order_key: orderKey,
      body,
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      last_error: null,
      last_duration_ms: null,
      next_attempt_at: event.createdAt,
      retry_until: event.createdAt + RETRY_WINDOW_MS,
      created_at: event.createdAt,
      delivered_at: null,
      updated_at: event.createdAt,
    })
    .execute();
  const payload: WebhookDeliverJob = { deliveryId: id };
  await uow.enqueue({
    type: WEBHOOK_DELIVER_JOB,
    payload,
    accountId: event.accountId,
    orderKey,
    // The 24-hour window ends retries, not a count (rate-limited attempts are not counted anyway).
    maxAttempts: 200,
  });
}
