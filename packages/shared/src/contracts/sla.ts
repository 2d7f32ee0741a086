import { z } from 'zod';

/** The three SLA metrics, measured as docs/metrics.md defines first response, next response and resolution. */
export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

const seconds = z
  .number()
  .int()
  .min(60)
  .max(90 * 86_400);
const ids = z.array(z.string().min(1).max(64)).max(100);

export const slaAppliesToSchema = z
  .strictObject({
    channelIds: ids.optional().describe('any of these channels (omit: any channel)'),
    teamIds: ids.optional().describe("the conversation's team is one of these (omit: any team)"),
    labels: z
      .array(z.string().trim().min(1).max(64))
      .max(50)
      .optional()
      .describe('the conversation carries at least one of these labels (omit: any)'),
  })
  .describe('every given list must match; an empty object matches every conversation');
export type SlaAppliesTo = z.infer<typeof slaAppliesToSchema>;

export const slaPolicyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    firstResponseSeconds: seconds.nullish().describe('first response within this many seconds'),
    nextResponseSeconds: seconds.nullish().describe('every next response within this many seconds'),
    resolutionSeconds: seconds.nullish().describe('resolution within this many seconds'),
    businessHours: z
      .boolean()
      .default(false)
      .describe("count only the working hours of the conversation's channel schedule"),
    appliesTo: slaAppliesToSchema.default({}),
    active: z.boolean().default(true),
    position: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('precedence: the first active matching policy by position wins (default: last)'),
  })
  .refine((b) => b.firstResponseSeconds || b.nextResponseSeconds || b.resolutionSeconds, {
    message: 'set at least one of firstResponseSeconds, nextResponseSeconds, resolutionSeconds',
  });
export type SlaPolicyInput = z.input<typeof slaPolicyBody>;

export const slaPolicyPatchBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    firstResponseSeconds: seconds.nullable().optional(),
    nextResponseSeconds: seconds.nullable().optional(),
    resolutionSeconds: seconds.nullable().optional(),
    businessHours: z.boolean().optional(),
    appliesTo: slaAppliesToSchema.optional(),
    active: z.boolean().optional(),
    position: z.number().int().min(0).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export const slaPolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  firstResponseSeconds: z.number().int().nullable(),
  nextResponseSeconds: z.number().int().nullable(),
  resolutionSeconds: z.number().int().nullable(),
  businessHours: z.boolean(),
  appliesTo: slaAppliesToSchema,
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export const slaPolicyListSchema = z.object({ items: z.array(slaPolicySchema) });

/** The conversation's nearest running SLA target; null when none runs (no policy, or nothing awaited). */
export const conversationSlaSchema = z
  .object({
    policyId: z.string(),
    metric: z.enum(SLA_METRICS),
    dueAt: z.number().describe('epoch ms; in business hours the clock stops while the schedule is closed'),
    breached: z.boolean().describe('the due time has passed (an `sla.breached` event was or will be sent)'),
  })
  .nullable();
export type ConversationSla = z.infer<typeof conversationSlaSchema>;
