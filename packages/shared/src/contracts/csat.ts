import { z } from 'zod';

/**
 * Customer satisfaction (CSAT): a channel's survey sent when a conversation is resolved, and the
 * rating a conversation received. docs/metrics.md defines what the reports count.
 */

export const CSAT_DEFAULT_QUESTION = {
  en: 'How would you rate our help? Please answer with a number from 1 (bad) to 5 (excellent).',
  ru: 'Оцените, пожалуйста, нашу помощь: ответьте цифрой от 1 (плохо) до 5 (отлично).',
} as const;

export const CSAT_DEFAULT_WINDOW_HOURS = 24;

const question = z.string().trim().min(1).max(1000);

export const csatSettingsSchema = z.object({
  enabled: z.boolean().describe('send the survey when a conversation on this channel is resolved'),
  question: z
    .object({ en: question, ru: question })
    .describe("the survey text in each language; the channel's routing language picks which is sent"),
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .describe('hours after the survey during which a rating (and then a comment) is accepted'),
});
export type CsatSettings = z.infer<typeof csatSettingsSchema>;

export const csatSettingsBody = csatSettingsSchema.partial().extend({
  question: z
    .object({ en: question.optional(), ru: question.optional() })
    .optional()
    .describe('a language left out keeps its text'),
});
export type CsatSettingsInput = z.input<typeof csatSettingsBody>;

/** `GET|PATCH /channels/:id/csat`: the settings in force and the product's defaults (for "reset"). */
export const channelCsatSchema = csatSettingsSchema.extend({
  channelId: z.string(),
  defaults: z.object({
    question: z.object({ en: z.string(), ru: z.string() }),
    windowHours: z.number(),
  }),
});
export type ChannelCsat = z.infer<typeof channelCsatSchema>;

/** The rating a conversation received (its latest answered survey). */
export const conversationCsatSchema = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string().nullable().describe('the next customer message after the rating, within the window'),
  ratedAt: z.number().describe('epoch ms of the latest rating'),
});
export type ConversationCsat = z.infer<typeof conversationCsatSchema>;

export const CSAT_SKIP_REASONS = ['no_inbound', 'expired', 'opted_out', 'channel_inactive'] as const;
