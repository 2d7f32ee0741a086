import { z } from 'zod';
import { CONVERSATION_STATUSES, PRIORITIES } from '../domain.ts';
import { attributeValue } from './attributes.ts';
import { pageQuery } from './common.ts';
import { conversationCsatSchema } from './csat.ts';
import { conversationSlaSchema } from './sla.ts';
import { inboxFilterSchema } from './inbox-filter.ts';
import { conversationSortQuery } from './inbox-order.ts';

export const conversationSchema = z.object({
  id: z.string(),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(PRIORITIES),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  labels: z.array(z.string()),
  attributes: z
    .record(z.string(), z.unknown())
    .describe('custom conversation attributes by key (Administration › Attributes)'),
  channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable().describe('shown in place of a missing name'),
    email: z.string().nullable().describe('shown in place of a missing name and phone'),
  }),
  snoozedUntil: z.number().nullable(),
  lastInboundAt: z.number().nullable(),
  lastOutboundAt: z.number().nullable(),
  lastActivityAt: z.number(),
  lastMessagePreview: z.string().nullable(),
  waitingSince: z
    .number()
    .nullable()
    .describe(
      "when the customer's oldest message since the last reply was received (epoch ms): how long they have waited; null when nothing is waiting or the conversation is resolved",
    ),
  firstResponseAt: z.number().nullable(),
  firstResponseMs: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  mergedIntoId: z
    .string()
    .optional()
    .describe('set once this conversation was merged into another: the one its messages now belong to'),
  sla: conversationSlaSchema.describe('the nearest running SLA target (docs/metrics.md, "SLA")'),
  unreadCount: z
    .number()
    .int()
    .optional()
    .describe(
      'customer messages the requesting user has not read yet (after their read marker); present in the list and single reads, absent in events, which every operator shares',
    ),
});
export type ConversationDto = z.infer<typeof conversationSchema>;

/** `GET /conversations/:id`: the conversation and what only a single read carries. */
export const conversationDetailSchema = conversationSchema.extend({
  csat: conversationCsatSchema
    .nullable()
    .describe("the customer's satisfaction rating after its latest answered survey; null: none"),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

const epochMs = z.coerce.number().int().nonnegative();

export const conversationListQuery = pageQuery.extend({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assignee: z.string().max(64).optional().describe('"me", "none" or a user id'),
  team: z.string().max(64).optional(),
  channel: z.string().max(64).optional(),
  contact: z.string().max(64).optional(),
  ...inboxFilterSchema.shape,
  // Drill-down from a report figure to the conversations behind it (docs/metrics.md).
  createdFrom: epochMs.optional().describe('created at or after (epoch ms)'),
  createdTo: epochMs.optional().describe('created before (epoch ms)'),
  resolvedFrom: epochMs.optional().describe('resolved (any of its cycles) at or after (epoch ms)'),
  resolvedTo: epochMs.optional().describe('resolved before (epoch ms)'),
  reopenedFrom: epochMs.optional().describe('reopened at or after (epoch ms)'),
  reopenedTo: epochMs.optional().describe('reopened before (epoch ms)'),
  frtAbove: z.coerce
    .number()
    .nonnegative()
    .optional()
    .describe('has a first response time (any cycle) longer than this many seconds'),
  csatBelow: z.coerce
    .number()
    .int()
    .min(2)
    .max(6)
    .optional()
    .describe('rated (latest rating of any of its surveys) below this, e.g. 3 = rated 1 or 2'),
  slaBreached: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe(
      'true: an SLA target of the conversation was breached (in [slaFrom, slaTo) when given); false: none was',
    ),
  slaFrom: epochMs.optional().describe('with slaBreached: breached at or after (epoch ms)'),
  slaTo: epochMs.optional().describe('with slaBreached: breached before (epoch ms)'),
  slaPolicy: z.string().max(64).optional().describe('with slaBreached: breached under this policy'),
  slaTeam: z
    .string()
    .max(64)
    .optional()
    .describe("with slaBreached: breached while the conversation was in this team (the SLA report's team)"),
  slaOperator: z
    .string()
    .max(64)
    .optional()
    .describe("with slaBreached: breached while credited to this operator (the SLA report's operator)"),
  sort: conversationSortQuery,
});

export const conversationPatchBody = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    snoozedUntil: z.number().int().positive().optional().describe('epoch ms; required with status "snoozed"'),
    assigneeId: z.string().nullable().optional(),
    teamId: z.string().nullable().optional(),
    priority: z.enum(PRIORITIES).optional(),
    labels: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    note: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe(
        'transfer with a comment: with assigneeId or teamId, a private note the receiver sees first (shown on ' +
          'top of the conversation) and a notification (`transfer`) for the new assignee, or for the members of ' +
          'the new team when nobody is assigned',
      ),
    attributes: z
      .record(z.string().min(1).max(100), attributeValue)
      .refine((a) => Object.keys(a).length <= 100, { message: 'at most 100 attributes per request' })
      .optional()
      .describe(
        'custom conversation attributes an admin defined (GET /attribute-definitions), each checked by its type; merged, a null value removes one',
      ),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })
  .refine((b) => b.note === undefined || Boolean(b.assigneeId) || Boolean(b.teamId), {
    message: 'a note goes with a transfer: give assigneeId or teamId',
    path: ['note'],
  });
export type ConversationPatch = z.input<typeof conversationPatchBody>;

export const conversationCountsQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional().describe('only this status (omit: any status)'),
  team: z.string().min(1).max(64).optional().describe('only this team'),
  channel: z.string().min(1).max(64).optional().describe('only this channel'),
  assignee: z
    .enum(['me', 'none'])
    .optional()
    .describe('narrows `statuses`, `teams` and `channels` to your or the unassigned view'),
  ...inboxFilterSchema.shape,
});

export const conversationCountsSchema = z.object({
  views: z
    .object({ mine: z.number().int(), unassigned: z.number().int(), all: z.number().int() })
    .describe('conversations in each inbox view under the status, team and channel filters'),
  statuses: z
    .record(z.enum(CONVERSATION_STATUSES), z.number().int())
    .describe('each status under the other filters (every status listed, 0 included)'),
  teams: z
    .array(z.object({ teamId: z.string().nullable(), count: z.number().int() }))
    .describe('each team (null: no team) under the other filters; teams with none are left out'),
  channels: z
    .array(z.object({ channelId: z.string(), count: z.number().int() }))
    .describe('each channel under the other filters; channels with none are left out'),
});
export type ConversationCounts = z.infer<typeof conversationCountsSchema>;

/** POST /api/v1/conversations/:id/read, and the `conversation.read` event. */
export const readStateSchema = z.object({
  conversationId: z.string(),
  userId: z.string(),
  lastReadMessageId: z.string().nullable().describe('null: never read'),
  lastReadAt: z.number().nullable().describe("that message's creation time (epoch ms)"),
  unreadCount: z.number().int().describe('customer messages after the marker'),
});
export type ReadState = z.infer<typeof readStateSchema>;

export const readBody = z
  .object({
    messageId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('read up to and including this message; without it, up to the newest message now'),
  })
  .nullish()
  .describe('optional: no body (or `{}`) reads up to now');
