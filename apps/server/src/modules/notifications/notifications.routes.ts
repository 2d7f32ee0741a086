import {
  notificationListQuery,
  notificationListSchema,
  notificationReadBody,
  notificationReadResult,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, newestFirstPage } from '../../http/schemas.ts';
import { transact } from '../events/unit-of-work.ts';
import { readNotifications, toNotificationDto, unreadCount } from './notification.service.ts';

export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary:
            "The signed-in user's notifications (mentions, conversations handed over), newest first, with the unread count",
          querystring: notificationListQuery,
          response: { 200: notificationListSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        let q = k
          .selectFrom('notifications')
          .selectAll()
          .where('account_id', '=', p.accountId)
          .where('user_id', '=', p.userId);
        if (req.query.unread) q = q.where('read_at', 'is', null);
        const { page, nextCursor } = await newestFirstPage(q, req.query.cursor, req.query.limit);
        return {
          items: page.map(toNotificationDto),
          nextCursor,
          unreadCount: await unreadCount(k, p.accountId, p.userId),
        };
      },
    );

    app.post(
      '/notifications/read',
      {
        schema: {
          tags: ['notifications'],
          summary:
            'Mark notifications of the signed-in user read (`ids`, `all: true`, or those of one `conversationId`); other tabs follow live. Marking a conversation read (POST /conversations/{id}/read) also reads its notifications.',
          body: notificationReadBody,
          response: { 200: notificationReadResult, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        return transact(ctx, (uow) =>
          readNotifications(
            uow,
            p,
            { ids: b.ids, all: b.all, conversationId: b.conversationId },
            ctx.clock.now(),
          ),
        );
      },
    );
  };
