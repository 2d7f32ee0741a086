import { z } from 'zod';
import { webhookSchema } from '../webhooks.ts';

/**
 * Bots: an agent bot (your server: it receives the conversation's events as signed POSTs while the
 * conversation is in status `bot` and answers through the REST API with its own token) or the built-in
 * menu bot (no code: a greeting with numbered options). Either hands the conversation to people.
 */

export const BOT_KINDS = ['agent', 'menu'] as const;
export type BotKind = (typeof BOT_KINDS)[number];

export const BOT_DEFAULT_HANDOFF_KEYWORDS = ['operator', 'оператор', 'human', 'человек'] as const;
export const BOT_DEFAULT_REPLY_TIMEOUT_SECONDS = 30;

/** Why a conversation left its bot. */
export const BOT_HANDOFF_REASONS = ['bot', 'operator', 'keyword', 'timeout', 'menu', 'bot_removed'] as const;
export type BotHandoffReason = (typeof BOT_HANDOFF_REASONS)[number];

/** The events an agent bot receives about the conversations it holds. */
export const BOT_EVENT_TYPES = ['conversation.created', 'conversation.updated', 'message.created'] as const;

const menuText = z.string().trim().min(1).max(2000);

export const MENU_ACTIONS = ['reply', 'label', 'team', 'handoff'] as const;

export const menuOptionSchema = z.object({
  title: z.string().trim().min(1).max(100).describe('what the customer sees after its number'),
  action: z
    .enum(MENU_ACTIONS)
    .describe(
      'reply: send `reply` and show the menu again; label: add `label` to the conversation (and send `reply` if given), then hand off; team: hand off to `teamId`; handoff: hand off to the channel team',
    ),
  reply: menuText.optional(),
  label: z.string().trim().min(1).max(64).optional(),
  teamId: z.string().min(1).max(64).optional(),
});
export type MenuOption = z.infer<typeof menuOptionSchema>;

export const menuSchema = z.object({
  greeting: menuText.describe('sent when a conversation starts, followed by the numbered options'),
  options: z.array(menuOptionSchema).min(1).max(9),
  fallback: menuText
    .optional()
    .describe(
      'sent when the answer is not one of the numbers (the options follow it); default: the greeting',
    ),
});
export type BotMenu = z.infer<typeof menuSchema>;

const botFields = {
  name: z.string().trim().min(1).max(100),
  channelIds: z
    .array(z.string().min(1).max(64))
    .max(100)
    .describe('new conversations on these channels start in status `bot`; a channel has at most one bot'),
  handoffKeywords: z
    .array(z.string().trim().min(1).max(50))
    .max(50)
    .describe('a customer message that is one of these words (any case) hands off to people'),
  replyTimeoutSeconds: z
    .number()
    .int()
    .min(5)
    .max(86_400)
    .describe('a bot that has not answered a customer within this many seconds hands off by itself'),
  active: z.boolean().describe('false: new conversations are not given to this bot'),
};

export const createBotBody = z
  .object({
    name: botFields.name,
    kind: z.enum(BOT_KINDS).default('agent'),
    url: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe('agent bots: where events are POSTed (public http(s) address; redirects are not followed)'),
    channelIds: botFields.channelIds.default([]),
    handoffKeywords: botFields.handoffKeywords.default([...BOT_DEFAULT_HANDOFF_KEYWORDS]),
    replyTimeoutSeconds: botFields.replyTimeoutSeconds.default(BOT_DEFAULT_REPLY_TIMEOUT_SECONDS),
    active: botFields.active.default(true),
    menu: menuSchema.optional().describe('menu bots: the greeting and its options'),
  })
  .superRefine((b, c) => {
    if (b.kind === 'agent' && !b.url)
      c.addIssue({ code: 'custom', path: ['url'], message: 'required for an agent bot' });
    if (b.kind === 'menu' && !b.menu)
      c.addIssue({ code: 'custom', path: ['menu'], message: 'required for a menu bot' });
  });
export type CreateBotInput = z.input<typeof createBotBody>;

export const updateBotBody = z
  .object({
    name: botFields.name,
    url: z.string().min(1).max(2000),
    channelIds: botFields.channelIds,
    handoffKeywords: botFields.handoffKeywords,
    replyTimeoutSeconds: botFields.replyTimeoutSeconds,
    active: botFields.active,
    menu: menuSchema,
  })
  .partial();
export type UpdateBotInput = z.input<typeof updateBotBody>;

export const botSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(BOT_KINDS),
  url: z.string().nullable().describe('agent bots only'),
  channelIds: z.array(z.string()),
  handoffKeywords: z.array(z.string()),
  replyTimeoutSeconds: z.number(),
  active: z.boolean(),
  menu: menuSchema.nullable(),
  tokenPrefix: z.string().nullable().describe('the start of its API token, to recognise it'),
  delivery: webhookSchema
    .pick({ active: true, pausedAt: true, pauseReason: true, lastSuccessAt: true, lastFailureAt: true })
    .nullable()
    .describe('agent bots: the state of event delivery to `url`'),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type BotDto = z.infer<typeof botSchema>;

export const createdBotSchema = botSchema.extend({
  token: z
    .string()
    .nullable()
    .describe('agent bots: its API token (Bearer) for the REST API; shown this once'),
  secret: z
    .string()
    .nullable()
    .describe('agent bots: HMAC-SHA256 key of X-Switchboard-Signature on its deliveries; shown this once'),
});
export type CreatedBot = z.infer<typeof createdBotSchema>;

export const handoffBody = z.object({
  team: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('id of the team to hand to (default: the conversation keeps its team)'),
  teamId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the same as `team` (the name PATCH uses); `team` wins'),
  note: z.string().trim().min(1).max(10_000).optional().describe('kept as a private note for the operators'),
});
export type HandoffInput = z.infer<typeof handoffBody>;
