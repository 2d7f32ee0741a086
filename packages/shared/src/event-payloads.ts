import { z } from 'zod';
import { contactNoteSchema, contactSchema } from './contracts/contacts.ts';
import { conversationSchema } from './contracts/conversations.ts';
import { messageSchema } from './contracts/messages.ts';
import { notificationReadEventSchema, notificationSchema } from './contracts/notifications.ts';
import { SLA_METRICS } from './contracts/sla.ts';
import { AVAILABILITY } from './domain.ts';
import type { EventType } from './events.ts';

/*
 * The payload of every account event, defined once: the server types `emit` with it, the OpenAPI
 * description and outgoing webhooks document it, listeners (rules, bots, reports) parse with it.
 */

export const conversationReadSchema = z.object({
  conversationId: z.string(),
  userId: z.string(),
  lastReadMessageId: z.string().nullable(),
  lastReadAt: z.number().nullable(),
  unreadCount: z.number(),
});

export const presenceSchema = z.object({ userId: z.string(), availability: z.enum(AVAILABILITY) });

export const contactErasedSchema = z.object({
  contactId: z.string(),
  conversationIds: z.array(z.string()),
});

/** An SLA target passed its due time unmet: once per conversation, metric and cycle (docs/metrics.md, "SLA"). */
export const slaBreachedSchema = z.object({
  conversationId: z.string(),
  policyId: z.string(),
  metric: z.enum(SLA_METRICS),
  dueAt: z.number().describe('epoch ms the target was due'),
});

/**
 * A customer rated a conversation after its satisfaction survey, or added the comment to their rating
 * (sent again then, with the same rating). A later rating of the same survey replaces the earlier.
 */
export const csatReceivedSchema = z.object({
  surveyId: z.string().describe('one survey per resolution; a new rating of it replaces the last'),
  conversationId: z.string(),
  contactId: z.string(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  receivedAt: z.number().describe('epoch ms of the (latest) rating'),
});

/** Event name → its payload's schema. `satisfies` keeps the map complete when a name is added. */
export const EVENT_PAYLOAD_SCHEMAS = {
  'conversation.created': conversationSchema,
  'conversation.updated': conversationSchema.describe(
    'any change: status, assignee, team, priority, labels, activity',
  ),
  'conversation.resolved': conversationSchema.describe('the status became resolved (also sent as updated)'),
  'conversation.reopened': conversationSchema.describe(
    'a resolved conversation became open, pending or snoozed again (also sent as updated)',
  ),
  'message.created': messageSchema.describe(
    'direction in (customer), out (operator, bot, automatic) or a private note (private: true)',
  ),
  'message.updated': messageSchema.describe('delivery status moved, a customer edited or deleted it'),
  'contact.created': contactSchema,
  'contact.updated': contactSchema,
  'presence.updated': presenceSchema,
  'conversation.read': conversationReadSchema,
  'contact_note.created': contactNoteSchema,
  'contact_note.updated': contactNoteSchema,
  'contact_note.deleted': z.object({ id: z.string(), contactId: z.string() }),
  'contact.erased': contactErasedSchema,
  'sla.breached': slaBreachedSchema,
  'csat.received': csatReceivedSchema,
  'notification.created': notificationSchema.describe(
    'a colleague mentioned this user or handed them a conversation (personal: only that user receives it)',
  ),
  'notification.read': notificationReadEventSchema,
} satisfies Record<EventType, z.ZodType>;

export type EventPayload<K extends EventType> = z.infer<(typeof EVENT_PAYLOAD_SCHEMAS)[K]>;

/**
 * Events an outside system may subscribe to (outgoing webhooks, bots): the business events. Presence,
 * read markers and notes are console state. `contact.erased` is here so a CRM can erase its copy too.
 */
export const PUBLIC_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'conversation.resolved',
  'conversation.reopened',
  'message.created',
  'message.updated',
  'contact.created',
  'contact.updated',
  'contact.erased',
  'sla.breached',
  'csat.received',
] as const satisfies readonly EventType[];

export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];

/**
 * What an outgoing webhook (and a bot) receives as the POST body: the event, its unique id (the same
 * on every retry of every endpoint) and its payload under `data`.
 */
export function eventEnvelopeSchema<K extends EventType>(type: K) {
  return z.object({
    id: z.string().describe('the event id: unique per event, the same in every delivery and retry of it'),
    type: z.literal(type),
    accountId: z.string(),
    createdAt: z.number().describe('epoch milliseconds when the event happened'),
    data: EVENT_PAYLOAD_SCHEMAS[type],
  });
}

export type EventEnvelope<K extends EventType = EventType> = {
  id: string;
  type: K;
  accountId: string;
  createdAt: number;
  data: EventPayload<K>;
};

/**
 * Narrows an event (any shape with `type` and `payload`) to the named type(s), so a listener reads its
 * payload's fields typed instead of casting. Trusts the emitter: `emit` is typed with the same map.
 */
export function isEvent<E extends { type: string; payload: unknown }, K extends EventType>(
  e: E,
  ...types: K[]
): e is E & { type: K; payload: EventPayload<K> } {
  return (types as readonly string[]).includes(e.type);
}
