import { z } from 'zod';
import { templateContentSchema } from './messages.ts';

export const RECIPIENT_OUTCOMES = [
  'pending',
  'queued',
  'window_closed',
  'opted_out',
  'no_identity',
  'channel_inactive',
] as const;
export type RecipientOutcome = (typeof RECIPIENT_OUTCOMES)[number];

export const MAX_BROADCAST_CONTACTS = 10_000;

/** The request fields, shared with the preview (which takes the audience part). */
export const createBroadcastFields = {
  channelId: z.string().min(1).max(64).describe('the channel to send through'),
  name: z.string().trim().min(1).max(200).optional().describe('for the report'),
  contactIds: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(MAX_BROADCAST_CONTACTS)
    .optional()
    .describe('recipients by contact id'),
  label: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('recipients: every contact with this contact label (added to contactIds, if both)'),
  segmentId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('recipients: every contact the saved segment matches when sent (added to the others)'),
  text: z.string().trim().min(1).max(4096).optional(),
  template: templateContentSchema
    .optional()
    .describe('a provider-approved template (WhatsApp): allowed outside the 24-hour window'),
  clientBroadcastId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('client-generated id: sending the same one again returns the same broadcast'),
};

function hasAudience(b: { contactIds?: unknown; label?: unknown; segmentId?: unknown }): boolean {
  return b.contactIds !== undefined || b.label !== undefined || b.segmentId !== undefined;
}

export const createBroadcastBody = z
  .object(createBroadcastFields)
  .refine((b) => (b.text === undefined) !== (b.template === undefined), {
    message: 'send either text or template',
    path: ['text'],
  })
  .refine(hasAudience, {
    message: 'choose recipients: contactIds, label, segmentId, or several',
    path: ['contactIds'],
  });
export type CreateBroadcast = z.infer<typeof createBroadcastBody>;

export const broadcastCountsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  queued: z.number().int().describe('passed the window and consent checks; a message was queued'),
  windowClosed: z.number().int().describe('refused: the messaging window was closed (recorded)'),
  optedOut: z.number().int().describe('refused: the contact opted out on this channel (recorded)'),
  noIdentity: z.number().int().describe('the contact has never been reached on this channel'),
  channelInactive: z.number().int().describe('the channel was deactivated before their turn'),
});
export type BroadcastCounts = z.infer<typeof broadcastCountsSchema>;

const deliverySchema = z
  .object({
    queued: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    failed: z.number().int(),
  })
  .describe('delivery status of the queued messages, as the provider reports it');
export type BroadcastDelivery = z.infer<typeof deliverySchema>;

export const broadcastSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  name: z.string().nullable(),
  text: z.string().nullable(),
  template: templateContentSchema.nullable(),
  audience: z.object({
    contactIds: z.number().int().optional(),
    label: z.string().optional(),
    segmentId: z.string().optional(),
  }),
  status: z.enum(['running', 'done']),
  createdBy: z.string(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  counts: broadcastCountsSchema,
  delivery: deliverySchema,
});
export type BroadcastDto = z.infer<typeof broadcastSchema>;

export const recipientSchema = z.object({
  contactId: z.string(),
  contactName: z.string().nullable(),
  outcome: z.enum(RECIPIENT_OUTCOMES),
  conversationId: z.string().nullable(),
  messageId: z.string().nullable(),
  deliveryStatus: z.string().nullable(),
  windowClosedAt: z.number().nullable().describe('for window_closed: when it closed; null if never open'),
});
export type RecipientDto = z.infer<typeof recipientSchema>;

export const broadcastPreviewBody = z
  .object({
    channelId: createBroadcastFields.channelId,
    contactIds: createBroadcastFields.contactIds,
    label: createBroadcastFields.label,
    segmentId: createBroadcastFields.segmentId,
    kind: z
      .enum(['text', 'template'])
      .default('text')
      .describe('what would be sent: a template passes a closed WhatsApp window, text does not'),
  })
  .refine(hasAudience, {
    message: 'choose recipients: contactIds, label, segmentId, or several',
    path: ['contactIds'],
  });

/** POST /api/v1/broadcasts/preview: the audience, and what would become of it if sent now. */
export const broadcastPreviewSchema = z
  .object({
    total: z
      .number()
      .int()
      .describe('recipients: the contacts given, labelled and/or in the segment, each once'),
    queued: z.number().int().describe('would be sent if decided now'),
    windowClosed: z.number().int().describe('would be refused now: the messaging window is closed'),
    optedOut: z.number().int().describe('would be refused: opted out where this channel writes'),
    noIdentity: z.number().int().describe('never reached on this channel: would be skipped'),
  })
  .describe('an estimate; each recipient is decided again when the broadcast reaches them');
export type BroadcastPreview = z.infer<typeof broadcastPreviewSchema>;
