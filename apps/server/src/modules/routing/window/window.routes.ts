import { type RefusedSendDto, pageOf, refusedSendSchema, windowSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { AppError } from '../../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams, pageQuery } from '../../../http/schemas.ts';
import { requireRole } from '../../auth/principal.ts';
import { loadVisibleConversation } from '../../conversations/conversation-access.ts';
import { conversationWindow } from './window-policy.ts';

/** The messaging window of a conversation, and the log of sends it refused. */
export const windowRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/conversations/:id/window',
      {
        schema: {
          tags: ['routing'],
          summary: 'Whether the business may write to the customer now, until when, and the fallback',
          params: idParams,
          response: { 200: windowSchema, ...errorResponses },
        },
      },
      async (req) => {
        const conv = await loadVisibleConversation(ctx, principalOf(req), req.params.id);
        const now = ctx.clock.now();
        return { ...(await conversationWindow(k, conv, now)), now };
      },
    );

    app.get(
      '/refused-sends',
      {
        schema: {
          tags: ['routing'],
          summary:
            'Sends refused by the messaging-window rule or because the contact opted out (reason opted_out), newest first (supervisor)',
          querystring: pageQuery.extend({ conversationId: z.string().max(64).optional() }),
          response: {
            200: pageOf(refusedSendSchema),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const q = req.query;
        const cursor = decodeCursor(q.cursor);
        if (q.cursor && cursor?.length !== 2) throw new AppError('validation_error', 'cursor: malformed');
        let query = k.selectFrom('refused_sends').selectAll().where('account_id', '=', p.accountId);
        if (q.conversationId) query = query.where('conversation_id', '=', q.conversationId);
        if (cursor) {
          const [at, id] = cursor as [number, string];
          query = query.where((eb) =>
            eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
          );
        }
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          items: page.map((r) => ({
            id: r.id,
            conversationId: r.conversation_id,
            channelId: r.channel_id,
            path: r.path as RefusedSendDto['path'],
            actorId: r.actor_id,
            reason: r.reason,
            windowClosedAt: r.window_closed_at,
            createdAt: r.created_at,
          })),
          nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      },
    );
  };
