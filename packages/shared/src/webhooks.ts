import { z } from 'zod';
import { PUBLIC_EVENT_TYPES } from './event-payloads.ts';

/** Outgoing webhooks: an account's endpoints that receive its events as signed POSTs. */

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Why Switchboard paused an endpoint by itself (an admin resumes it with `active: true`). */
export const WEBHOOK_PAUSE_REASONS = ['failing_for_24h', 'refused_repeatedly'] as const;

export const webhookEventsField = z
  .array(z.enum(PUBLIC_EVENT_TYPES))
  .min(1)
  .max(PUBLIC_EVENT_TYPES.length)
  .describe('event types to receive; the body of each is documented in this description under `webhooks`');

export const createWebhookBody = z.object({
  url: z.string().min(1).max(2000).describe('http(s) URL on a public address; redirects are not followed'),
  events: webhookEventsField,
  active: z.boolean().default(true),
});

export const updateWebhookBody = z
  .object({
    url: createWebhookBody.shape.url,
    events: webhookEventsField,
    active: z.boolean().describe('true also resumes an endpoint Switchboard paused'),
  })
  .partial();

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(PUBLIC_EVENT_TYPES)),
  active: z.boolean().describe('false: no deliveries (turned off by an admin, or paused)'),
  pausedAt: z.number().nullable().describe('when Switchboard paused it because it kept failing'),
  pauseReason: z
    .object({ code: z.enum(WEBHOOK_PAUSE_REASONS), message: z.string() })
    .nullable()
    .describe(
      'failing_for_24h: one delivery was retried for 24 hours; refused_repeatedly: 10 in a row refused',
    ),
  lastSuccessAt: z.number().nullable(),
  lastFailureAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export type WebhookDto = z.infer<typeof webhookSchema>;

/** The create answer: the endpoint and, this once, its secret. */
export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe('HMAC-SHA256 key for X-Switchboard-Signature; store it now'),
});
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

export const webhookAttemptSchema = z.object({
  at: z.number(),
  durationMs: z.number(),
  statusCode: z
    .number()
    .nullable()
    .describe('null when no answer came (network error, timeout, refused URL)'),
  error: z.string().nullable(),
  requestHeaders: z.record(z.string(), z.string()),
});

export const webhookDeliverySchema = z.object({
  id: z.string().describe('the X-Switchboard-Delivery header: the same on every retry and redelivery'),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
});

export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryDetailSchema = webhookDeliverySchema.extend({
  requestBody: z.string().describe('the exact JSON body sent (what the signature covers)'),
  history: z.array(webhookAttemptSchema).describe('every attempt, oldest first'),
});

export type WebhookDeliveryDetailDto = z.infer<typeof webhookDeliveryDetailSchema>;
