import { z } from 'zod';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { type TemplateContent, templateContentSchema } from '../messages/template-content.ts';

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

export const createBroadcastBody = z
  .object(createBroadcastFields)
  .refine((b) => (b.text === undefined) !== (b.template === undefined), {
    message: 'send either text or template',
    path: ['text'],
  })
  .refine((b) => b.contactIds !== undefined || b.label !== undefined, {
    message: 'choose recipients: contactIds, label, or both',
    path: ['contactIds'],
  });
export type CreateBroadcast = z.infer<typeof createBroadcastBody>;

export interface BroadcastContent {
  text?: string;
  template?: TemplateContent;
}

const countsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  queued: z.number().int().describe('passed the window and consent checks; a message was queued'),
  windowClosed: z.number().int().describe('refused: the messaging window was closed (recorded)'),
  optedOut: z.number().int().describe('refused: the contact opted out on this channel (recorded)'),
  noIdentity: z.number().int().describe('the contact has never been reached on this channel'),
  channelInactive: z.number().int().describe('the channel was deactivated before their turn'),
});

const deliverySchema = z
  .object({
    queued: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    failed: z.number().int(),
  })
  .describe('delivery status of the queued messages, as the provider reports it');

export const broadcastSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  name: z.string().nullable(),
  text: z.string().nullable(),
  template: templateContentSchema.nullable(),
  audience: z.object({ contactIds: z.number().int().optional(), label: z.string().optional() }),
  status: z.enum(['running', 'done']),
  createdBy: z.string(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  counts: countsSchema,
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

const OUTCOME_KEYS: Record<RecipientOutcome, keyof z.infer<typeof countsSchema>> = {
  pending: 'pending',
  queued: 'queued',
  window_closed: 'windowClosed',
  opted_out: 'optedOut',
  no_identity: 'noIdentity',
  channel_inactive: 'channelInactive',
};

export async function loadBroadcastDto(k: Tx, row: Row<'broadcasts'>): Promise<BroadcastDto> {
  const byOutcome = await k
    .selectFrom('broadcast_recipients')
    .select(['outcome', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('broadcast_id', '=', row.id)
    .groupBy('outcome')
    .execute();
  const counts = {
    total: 0,
    pending: 0,
    queued: 0,
    windowClosed: 0,
    optedOut: 0,
    noIdentity: 0,
    channelInactive: 0,
  };
  for (const r of byOutcome) {
    const key = OUTCOME_KEYS[r.outcome as RecipientOutcome];
    if (!key) continue;
    counts[key] += Number(r.n);
    counts.total += Number(r.n);
  }
  const byDelivery = await k
    .selectFrom('broadcast_recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .select(['m.delivery_status as status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('r.broadcast_id', '=', row.id)
    .groupBy('m.delivery_status')
    .execute();
  const delivery = { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 };
  for (const r of byDelivery) {
    const s = r.status as keyof typeof delivery;
    if (s in delivery) delivery[s] += Number(r.n);
  }
  const content = JSON.parse(row.content) as BroadcastContent;
  const audience = JSON.parse(row.audience) as { contactIds?: string[]; label?: string };
  return {
    id: row.id,
    channelId: row.channel_id,
    name: row.name,
    text: content.text ?? null,
    template: content.template ?? null,
    audience: {
      ...(audience.contactIds ? { contactIds: audience.contactIds.length } : {}),
      ...(audience.label ? { label: audience.label } : {}),
    },
    status: row.status as 'running' | 'done',
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    counts,
    delivery,
  };
}
