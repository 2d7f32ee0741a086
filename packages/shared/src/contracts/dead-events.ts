import { z } from 'zod';

/**
 * A provider event whose processing failed for good: kept with its error for an admin to inspect,
 * retry or discard. `retrying` is a dead event an admin sent back to the worker; `processed` one
 * whose retry went through.
 */
export const DEAD_EVENT_STATUSES = ['dead', 'retrying', 'processed', 'discarded'] as const;
export type DeadEventStatus = (typeof DEAD_EVENT_STATUSES)[number];

export const deadEventSchema = z.object({
  id: z.string(),
  channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
  providerEventId: z.string().describe("the provider's own id of the event (its idempotency key)"),
  status: z.enum(DEAD_EVENT_STATUSES),
  receivedAt: z.number().describe('epoch ms; when the webhook was acknowledged'),
  failedAt: z.number().nullable().describe('when processing last failed for good (null after a retry)'),
  lastError: z.string().nullable().describe('the error of the last failed attempt'),
  retriedAt: z.number().nullable(),
  discardedAt: z.number().nullable(),
  discardedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type DeadEventDto = z.infer<typeof deadEventSchema>;

export const deadEventDetailSchema = deadEventSchema.extend({
  payload: z.unknown().describe('the event as stored when the provider delivered it'),
});
export type DeadEventDetailDto = z.infer<typeof deadEventDetailSchema>;

export const deadEventPageSchema = z.object({
  items: z.array(deadEventSchema),
  nextCursor: z.string().nullable(),
});
export type DeadEventPage = z.infer<typeof deadEventPageSchema>;

export const deadEventListQuery = z.object({
  status: z
    .enum(['dead', 'discarded'])
    .default('dead')
    .describe('dead: waiting for an admin (default); discarded: set aside, kept as a record'),
  channelId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type DeadEventListQuery = z.infer<typeof deadEventListQuery>;
