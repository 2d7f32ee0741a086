import { z } from 'zod';
import { pageQuery } from './common.ts';

/** Why a notification was made: a colleague @mentioned you in a note, or handed you a conversation. */
export const NOTIFICATION_KINDS = ['mention', 'transfer'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One in-app notification of the signed-in user (`GET /api/v1/notifications`). */
export const notificationSchema = z.object({
  id: z.string(),
  userId: z.string().describe('the user it is for: only they list it and receive it live'),
  kind: z.enum(NOTIFICATION_KINDS),
  conversationId: z.string(),
  messageId: z.string().nullable().describe('the note that mentioned you, or the transfer comment'),
  actorId: z.string().nullable().describe('the colleague who mentioned you or handed the conversation over'),
  text: z.string().nullable().describe("the note's or comment's text (up to 500 characters)"),
  readAt: z.number().nullable().describe('epoch ms it was marked read; null = unread'),
  createdAt: z.number(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const notificationListQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only unread ones'),
});

export const notificationListSchema = z.object({
  items: z.array(notificationSchema).describe('newest first'),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().describe('all unread notifications of this user, not only this page'),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

/** `POST /api/v1/notifications/read`: the given ones, or all of them. */
export const notificationReadBody = z
  .object({
    ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
    all: z.boolean().optional().describe('true: every unread notification of this user'),
    conversationId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'every unread notification of this user pointing to this conversation (the console\'s "opened")',
      ),
  })
  .refine(
    (b) => [b.ids !== undefined, b.all === true, b.conversationId !== undefined].filter(Boolean).length === 1,
    {
      message: 'send one of ids, all: true or conversationId',
      path: ['ids'],
    },
  );

export const notificationReadResult = z.object({
  read: z.number().int().describe('how many became read now'),
  unreadCount: z.number().int(),
});

/** `notification.read` (personal event): another tab or device marked these read. */
export const notificationReadEventSchema = z.object({
  userId: z.string(),
  ids: z.array(z.string()).describe('the notifications that became read; empty with all'),
  all: z.boolean(),
  unreadCount: z.number().int(),
});
