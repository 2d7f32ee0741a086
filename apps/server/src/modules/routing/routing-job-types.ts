import { z } from 'zod';

/** Routing job types (handlers in routing.jobs.ts); every one re-checks state when it runs. */
export const ROUTING_JOBS = {
  /** { accountId }: assign queued conversations to online operators with room. */
  drain: 'routing.drain',
  /** { accountId, userId }: reassign an operator's conversations after they went offline. */
  offline: 'routing.offline',
  /** { conversationId, assigneeId, assignedAt }: reassign when the assignee has not answered. */
  noReply: 'routing.no_reply',
  /** { conversationId, since }: "we got your message" when no operator answered since `since`. */
  noAnswer: 'routing.no_answer',
  /** { conversationId, until }: wake a snoozed conversation. */
  snooze: 'routing.snooze',
} as const;

/** The payload of each routing job, checked before it runs. */
export const routingPayloads = {
  drain: z.object({ accountId: z.string() }),
  offline: z.object({ accountId: z.string(), userId: z.string() }),
  noReply: z.object({ conversationId: z.string(), assigneeId: z.string(), assignedAt: z.number() }),
  noAnswer: z.object({ conversationId: z.string(), since: z.number() }),
  snooze: z.object({ conversationId: z.string(), until: z.number().optional() }),
};
