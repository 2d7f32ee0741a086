import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../domain.ts';

/**
 * Full-text search and the conversation filters it shares with the mentions report and exports
 * (`GET /search`, `GET /search/mentions`, `POST /exports`).
 */

/** Epoch ms, an ISO 8601 date-time with offset, or a date (midnight UTC). */
export const timeParam = z
  .union([
    z.coerce.number().int().nonnegative(),
    z.iso.datetime({ offset: true }).transform((v) => Date.parse(v)),
    z.iso.date().transform((v) => Date.parse(`${v}T00:00:00Z`)),
  ])
  .describe('epoch ms, ISO 8601 date-time, or YYYY-MM-DD (UTC midnight)');

/** The filters of the conversation list, shared by search, the mentions report and exports. */
export const conversationFilterSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assignee: z.string().min(1).max(64).optional().describe('"me", "none" or a user id'),
  team: z.string().min(1).max(64).optional(),
  channel: z.string().min(1).max(64).optional(),
  contact: z.string().min(1).max(64).optional(),
  label: z.string().trim().min(1).max(64).optional(),
  from: timeParam.optional().describe('inclusive lower bound (message time; conversation start for exports)'),
  to: timeParam.optional().describe('exclusive upper bound'),
});
export type ConversationFilter = z.infer<typeof conversationFilterSchema>;

const qParam = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe(
    'words (any form: "заказ" finds "заказы", "order" finds "ordered") and "quoted phrases"; all must match',
  );

export const searchQuery = conversationFilterSchema.extend({
  q: qParam,
  author: z.string().min(1).max(64).optional().describe('only messages written by this user id'),
  kind: z
    .enum(['all', 'messages', 'contacts'])
    .default('all')
    .describe('contacts (name, phone, e-mail) are searched only when no conversation filter is given'),
  order: z
    .enum(['recent', 'relevance'])
    .optional()
    .describe(
      'recent (the default): newest matches first over all history, found without ranking every match; ' +
        'relevance: best matches first among the newest 20,000 matching messages (and all contacts), slower',
    ),
  sort: z.enum(['relevance', 'recent']).optional().describe('the former name of `order`; `order` wins'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const mentionsQuery = conversationFilterSchema.extend({
  q: qParam,
  direction: z
    .enum(['in', 'out'])
    .default('in')
    .describe('in: what customers wrote (default); out: what operators wrote'),
  customersLimit: z.coerce.number().int().min(1).max(1000).default(100),
});

const span = z.object({ start: z.number().int(), end: z.number().int() });
const snippetSchema = z
  .object({
    text: z.string(),
    highlights: z.array(span).describe('UTF-16 offsets into text; render as text, never as HTML'),
  })
  .describe('plain text around the first match');

/** One `GET /search` answer item: a message or a contact that matched. */
export const searchHitSchema = z.object({
  kind: z.enum(['message', 'contact']),
  score: z.number(),
  messageId: z.string().nullable(),
  conversationId: z.string().nullable().describe('open this conversation (at messageId when set)'),
  createdAt: z.number(),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  message: z
    .object({
      direction: z.string(),
      authorKind: z.string(),
      authorId: z.string().nullable(),
      private: z.boolean(),
      contentKind: z.string(),
    })
    .nullable(),
  conversation: z
    .object({
      status: z.string(),
      assigneeId: z.string().nullable(),
      teamId: z.string().nullable(),
      channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
    })
    .nullable(),
  snippet: snippetSchema,
});
export type SearchHit = z.infer<typeof searchHitSchema>;
