import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../domain.ts';
import { attributeFilterQuery } from './attributes.ts';

/** Consent filter: a decision with this status in any scope, or `none`: no decision on record at all. */
export const CONTACT_CONSENT_FILTERS = ['opted_in', 'opted_out', 'none'] as const;

/**
 * The contact filter, once: the query of `GET /contacts` (with paging) and the saved filter of a segment
 * (without). Every field narrows; all must hold.
 */
export const contactFilterFields = {
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('substring of name, phone or e-mail (case-insensitive, any alphabet)'),
  label: z.string().trim().min(1).max(64).optional().describe('only contacts with this label (exact)'),
  attribute: attributeFilterQuery,
  channelId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('only contacts reachable on this channel (an identity on it)'),
  channelType: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .describe('only contacts with an identity on a channel of this type (`telegram`, `whatsapp`, ...)'),
  conversationStatus: z
    .enum(CONVERSATION_STATUSES)
    .optional()
    .describe('only contacts with a conversation in this status now'),
  consent: z
    .enum(CONTACT_CONSENT_FILTERS)
    .optional()
    .describe('`opted_in` / `opted_out`: such a decision in some scope; `none`: no decision on record'),
  createdFrom: z.coerce.number().int().min(0).optional().describe('created at or after (epoch ms)'),
  createdTo: z.coerce.number().int().min(0).optional().describe('created before (epoch ms)'),
};
export const contactFilterSchema = z.object(contactFilterFields);
export type ContactFilter = z.infer<typeof contactFilterSchema>;

/** A segment: a named contact filter, shared by the account; a broadcast can take it as its audience. */
export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  filter: contactFilterSchema,
  count: z
    .number()
    .int()
    .optional()
    .describe('contacts matching now (on GET /segments/{id}, create and change; not in the list)'),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SegmentDto = z.infer<typeof segmentSchema>;
export const segmentListSchema = z.object({ items: z.array(segmentSchema).describe('by name') });

export const MAX_SEGMENTS = 200;

export const segmentBody = z.object({
  name: z.string().trim().min(1).max(100),
  filter: contactFilterSchema.describe('the fields of GET /contacts, without paging'),
});
export type SegmentInput = z.input<typeof segmentBody>;
export const segmentPatchBody = segmentBody
  .partial()
  .refine((b) => b.name !== undefined || b.filter !== undefined, { message: 'nothing to change' });
