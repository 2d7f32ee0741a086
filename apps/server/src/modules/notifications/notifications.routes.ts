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
import { toNotificationDto, unreadCount } from './notification.service.ts';

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
            'Mark notifications of the signed-in user read (`ids`, or `all: true`); other tabs follow live',
          body: notificationReadBody,
          response: { 200: notificationReadResult, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        return transact(ctx, async (uow) => {
          const now = ctx.clock.now();
          let q = uow.tx
            .updateTable('notifications')
            .set({ read_at: now })
            .where('account_id', '=', p.accountId)
            .where('user_id', '=', p.userId)
            .where('read_at', 'is', null);
          // Someone else's ids (or unknown ones) match nothing: no error, nothing leaks.
          if (b.ids) q = q.where('id', 'in', b.ids);
          const changed = await q.returning('id').execute();
          const left = await unreadCount(uow.tx, p.accountId, p.userId);
          if (changed.length)
            uow.emit(p.accountId, 'notification.read', {
              userId: p.userId,
              ids: b.all ? [] : changed.map((c) => c.id),
              all: b.all === true,
              unreadCount: left,
            });
          return { read: changed.length, unreadCount: left };
        });
      },
    );
  };
