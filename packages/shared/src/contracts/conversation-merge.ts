import { z } from 'zod';
import { conversationSchema } from './conversations.ts';

/**
 * Merging two conversations of one contact (`POST /conversations/:id/merge`) and splitting messages off
 * into a new one (`POST /conversations/:id/split`). Messages move with their id, time, channel and author;
 * nothing is re-sent and nothing is counted again in the reports.
 */
export const CONVERSATION_MERGE_RULE =
  'The conversation you keep wins: its assignee, team, priority and attribute values stay; the other only fills what is empty. Labels are combined. Every message and private note moves with its original time and channel. If the kept conversation was resolved and the other was not, it takes the other’s status. The other conversation is closed as merged and points to the kept one.';

export const CONVERSATION_SPLIT_RULE =
  'The selected messages move to a new conversation of the same contact with their original time and channel. The new conversation is on the channel of the newest selected customer message (else the newest selected message), open, in the same team, unassigned, with the same labels and attributes.';

export const conversationMergeBody = z.object({
  otherConversationId: z
    .string()
    .min(1)
    .max(64)
    .describe('the conversation to merge away into `:id` (same contact)'),
});
export type ConversationMergeBody = z.infer<typeof conversationMergeBody>;
export const conversationMergePreviewQuery = conversationMergeBody;

const conversationOutcome = z.object({
  status: conversationSchema.shape.status,
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  priority: conversationSchema.shape.priority,
  labels: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
});

export const conversationMergePreviewSchema = z.object({
  survivor: conversationSchema,
  other: conversationSchema,
  rule: z.string().describe('CONVERSATION_MERGE_RULE: how the two are combined'),
  result: conversationOutcome.describe('what the kept conversation will have'),
  moves: z.object({ messages: z.number().int().describe('messages and private notes that move') }),
});
export type ConversationMergePreview = z.infer<typeof conversationMergePreviewSchema>;

export const conversationMergeResultSchema = z.object({
  conversation: conversationSchema.describe('the kept conversation, after the merge'),
  mergedId: z.string().describe('the conversation merged away: closed, it now points to the kept one'),
  moved: z.number().int().describe('messages and private notes moved'),
});
export type ConversationMergeResult = z.infer<typeof conversationMergeResultSchema>;

export const conversationSplitBody = z.object({
  messageIds: z
    .array(z.string().min(1).max(64))
    .max(1000)
    .describe('messages of this conversation to move into a new one (not all of them)'),
});
export type ConversationSplitBody = z.infer<typeof conversationSplitBody>;

export const conversationSplitResultSchema = z.object({
  conversation: conversationSchema.describe('the new conversation holding the moved messages'),
  source: conversationSchema.describe('the conversation they came from, after the split'),
  moved: z.number().int(),
});
export type ConversationSplitResult = z.infer<typeof conversationSplitResultSchema>;

/** What a merged-away conversation's id answers (301 for GET with Location; 409 for changes). */
export const conversationMergedSchema = z.object({
  error: z.object({ code: z.literal('conversation_merged'), message: z.string() }),
  mergedInto: z.string().describe('the conversation its messages now belong to'),
});
export type ConversationMergedBody = z.infer<typeof conversationMergedSchema>;
