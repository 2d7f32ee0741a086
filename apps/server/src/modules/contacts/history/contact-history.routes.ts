import { type ContactHistoryItem, contactHistoryPageSchema, contactHistoryQuery } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { notFound } from '../../../http/errors.ts';
import { errorResponses, idParams, newestFirstPage } from '../../../http/schemas.ts';
import { visibleContactConversations } from '../../conversations/visible-conversations.ts';
import { toMessageDtos } from '../../messages/message.dto.ts';

/** One history: a customer's messages on every channel, across conversations, newest first. */
export const contactHistoryRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/contacts/:id/history',
      {
        schema: {
          tags: ['contacts'],
          summary:
            "The customer's messages in all their conversations on every channel, newest first (cursor pagination); only conversations you may open count, private notes included; `exclude` leaves one conversation out",
          params: idParams,
          querystring: contactHistoryQuery,
          response: { 200: contactHistoryPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const contact = await k
          .selectFrom('contacts')
          .select('id')
          .where('id', '=', req.params.id)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!contact) throw notFound('Contact');
        let convs = await visibleContactConversations(ctx, p, contact.id);
        if (req.query.exclude) convs = convs.where('id', '!=', req.query.exclude);
        const { page, nextCursor } = await newestFirstPage(
          k
            .selectFrom('messages')
            .selectAll()
            .where('account_id', '=', p.accountId)
            .where('conversation_id', 'in', convs),
          req.query.cursor,
          req.query.limit,
        );
        const ids = [...new Set(page.map((m) => m.conversation_id))];
        const rows = ids.length
          ? await k
              .selectFrom('conversations as c')
              .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
              .select([
                'c.id',
                'c.status',
                'c.created_at',
                'c.resolved_at',
                'ch.id as channel_id',
                'ch.type as channel_type',
                'ch.name as channel_name',
              ])
              .where('c.id', 'in', ids)
              .execute()
          : [];
        const byId = new Map(
          rows.map((r) => [
            r.id,
            {
              id: r.id,
              status: r.status,
              channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
              createdAt: r.created_at,
              resolvedAt: r.resolved_at,
            },
          ]),
        );
        const messages = await toMessageDtos(k, page);
        const items: ContactHistoryItem[] = messages.map((m) => ({
          ...m,
          conversation: byId.get(m.conversationId)!,
        }));
        return { items, nextCursor };
      },
    );
  };
