import { z } from 'zod';
import { windowSettingSchema } from '../channel-types.ts';

/**
 * A channel's routing as `GET/PUT /channels/{id}/routing` carry it: the messaging window, assignment,
 * automatic messages and consent keywords an admin sets per channel.
 */

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export const AUTOMATIC_KINDS = ['greeting', 'offline', 'no_answer'] as const;
export type AutomaticKind = (typeof AUTOMATIC_KINDS)[number];

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Variables an automatic message may use; anything else is refused when the admin saves it. */
export const TEMPLATE_VARIABLES = ['next_open_time', 'contact.name', 'channel.name'] as const;

const templateText = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine(
    (s) =>
      [...s.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) =>
        (TEMPLATE_VARIABLES as readonly string[]).includes(m[1]!),
      ),
    { message: `unknown variable; known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}` },
  );

const texts = z.strictObject({ en: templateText.optional(), ru: templateText.optional() }).default({});

const keywordList = z
  .array(
    z
      .string()
      .trim()
      .regex(/^\S{1,40}$/, 'one word'),
  )
  .max(20)
  .default([]);

/** Everything an admin sets per channel (PUT replaces it; missing fields take the defaults). */
export const routingSettingsSchema = z.strictObject({
  scheduleId: z.string().max(64).nullable().default(null),
  language: z.enum(LANGUAGES).default('en').describe('language of the automatic messages'),
  window: windowSettingSchema
    .optional()
    .describe(
      "how long after the customer last wrote the business may write; default: the channel type's " +
        '`capabilities.window.defaultWindow` (7 days; SMS: unlimited)',
    ),
  assignment: z
    .strictObject({
      mode: z.enum(ASSIGNMENT_MODES).default('manual'),
      sticky: z
        .boolean()
        .default(true)
        .describe('a returning customer goes to the operator they talked to last'),
      reassignOnOffline: z.boolean().default(true).describe('automatic modes only'),
      noReplyReassignMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .nullable()
        .default(null)
        .describe('reassign when the assignee has not answered within N minutes; null = off'),
    })
    .default({ mode: 'manual', sticky: true, reassignOnOffline: true, noReplyReassignMinutes: null }),
  automaticMessages: z
    .strictObject({
      throttleHours: z
        .number()
        .min(0)
        .max(24 * 30)
        .default(12)
        .describe('never more than one automatic message of a kind to one customer within this interval'),
      greeting: z
        .strictObject({ enabled: z.boolean().default(false), text: texts })
        .default({ enabled: false, text: {} }),
      offline: z
        .strictObject({ enabled: z.boolean().default(false), text: texts })
        .default({ enabled: false, text: {} }),
      noAnswer: z
        .strictObject({
          enabled: z.boolean().default(false),
          afterMinutes: z
            .number()
            .int()
            .min(1)
            .max(24 * 60)
            .default(5),
          text: texts,
        })
        .default({ enabled: false, afterMinutes: 5, text: {} }),
    })
    .default({
      throttleHours: 12,
      greeting: { enabled: false, text: {} },
      offline: { enabled: false, text: {} },
      noAnswer: { enabled: false, afterMinutes: 5, text: {} },
    }),
  consentKeywords: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'a customer message that is only an opt-out word (STOP, СТОП, UNSUBSCRIBE, ОТПИСАТЬСЯ…) opts them out of ' +
            "the channel's consent scope, an opt-in word (START, СТАРТ…) opts them back in; SMS channels always do",
        ),
      optOut: keywordList.describe('opt-out words besides the built-in English and Russian ones'),
      optIn: keywordList.describe('opt-in words besides the built-in ones'),
      help: keywordList.describe('help words besides the built-in ones'),
    })
    .default({ enabled: true, optOut: [], optIn: [], help: [] })
    .describe('the consent keywords on this channel: one engine for every channel type'),
});
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;

const textsOut = z.object({ en: z.string(), ru: z.string() });

/** What `GET /channels/{id}/routing` answers: the settings with every default filled in. */
export const channelRoutingSchema = z.object({
  channelId: z.string(),
  scheduleId: z.string().nullable(),
  language: z.enum(LANGUAGES),
  window: z.union([
    z.object({ unit: z.literal('hours'), value: z.number() }),
    z.object({ unit: z.literal('days'), value: z.number() }),
    z.object({ unit: z.literal('unlimited') }),
  ]),
  windowMs: z.number().nullable().describe('the window in force (WhatsApp: always 24 h); null = unlimited'),
  windowFixedByProvider: z.boolean(),
  windowUnlimitedAllowed: z.boolean().describe('whether this channel type may have an "unlimited" window'),
  assignment: z.object({
    mode: z.enum(['manual', 'round_robin', 'least_loaded']),
    sticky: z.boolean(),
    reassignOnOffline: z.boolean(),
    noReplyReassignMinutes: z.number().nullable(),
  }),
  automaticMessages: z.object({
    throttleHours: z.number(),
    greeting: z.object({ enabled: z.boolean(), text: textsOut }),
    offline: z.object({ enabled: z.boolean(), text: textsOut }),
    noAnswer: z.object({ enabled: z.boolean(), afterMinutes: z.number(), text: textsOut }),
  }),
  defaultTexts: z.record(z.enum(AUTOMATIC_KINDS), textsOut),
  templateVariables: z
    .array(z.string())
    .describe('variables automatic messages may use, written {{name}}; others are refused'),
});
export type ChannelRoutingDto = z.infer<typeof channelRoutingSchema>;
