import { z } from 'zod';
import { messageSchema } from './messages.ts';
import { windowSchema } from './window.ts';

/**
 * One history: every message of a customer across all their conversations and channels, newest first
 * (`GET /contacts/:id/history`), and the channels an operator may answer them on
 * (`GET /conversations/:id/reply-channels`).
 */
export const contactHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  exclude: z
    .string()
    .max(64)
    .optional()
    .describe('a conversation to leave out (the one on screen: its own list shows it)'),
});

const channelRef = z.object({ id: z.string(), type: z.string(), name: z.string() });

export const historyConversationSchema = z.object({
  id: z.string(),
  status: z.string(),
  channel: channelRef,
  createdAt: z.number(),
  resolvedAt: z.number().nullable(),
});

export const contactHistoryItemSchema = messageSchema.extend({
  conversation: historyConversationSchema.describe('the conversation (and channel) this message belongs to'),
});
export type ContactHistoryItem = z.infer<typeof contactHistoryItemSchema>;

export const contactHistoryPageSchema = z.object({
  items: z.array(contactHistoryItemSchema),
  nextCursor: z.string().nullable(),
});
export type ContactHistoryPage = z.infer<typeof contactHistoryPageSchema>;

export const replyChannelSchema = z.object({
  channel: channelRef,
  current: z.boolean().describe("the conversation's own channel"),
  active: z.boolean().describe('a deactivated channel delivers nothing'),
  conversationId: z
    .string()
    .nullable()
    .describe(
      "the customer's conversation a reply here lands in; null: a new one is opened (assigned to the replier)",
    ),
  window: windowSchema.describe("the customer's messaging window on this channel"),
});
export type ReplyChannel = z.infer<typeof replyChannelSchema>;
export const replyChannelsSchema = z.object({ items: z.array(replyChannelSchema) });
