import { readBody, readStateSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { transact } from '../events/unit-of-work.ts';
import { readNotifications } from '../notifications/notification.service.ts';
import { loadVisibleConversation } from './conversation-access.ts';
import { advanceMarker, newestMessage, readState, rewindMarker } from './read-markers.ts';

/** Per-operator read markers: what "unread" means in the inbox, the same in every browser. */
export const readRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.post(
      '/conversations/:id/read',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Mark a conversation read for yourself, up to a message or up to now',
          description:
            'Moves your read marker forward (never back) and marks your notifications about this conversation read. Your other consoles receive a `conversation.read` event (sent to you only).',
          params: idParams,
          body: readBody,
          response: { 200: readStateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        let upTo: { id: string; created_at: number } | undefined;
        const messageId = req.body?.messageId;
        if (messageId) {
          upTo = await k
            .selectFrom('messages')
            .select(['id', 'created_at'])
            .where('id', '=', messageId)
            .where('conversation_id', '=', conv.id)
            .executeTakeFirst();
          if (!upTo)
            throw new AppError('validation_error', 'messageId: no such message in this conversation');
        } else {
          upTo = (await newestMessage(k, conv.id)) ?? { id: '', created_at: ctx.clock.now() };
        }
        return transact(ctx, async (uow) => {
          const moved = await advanceMarker(uow.tx, {
            accountId: p.accountId,
            userId: p.userId,
            conversationId: conv.id,
            at: upTo.created_at,
            messageId: upTo.id,
            now: ctx.clock.now(),
          });
          const state = await readState(uow.tx, p.userId, conv.id);
          if (moved) uow.emit(p.accountId, 'conversation.read', state, conv.team_id);
          // Having opened the conversation, the operator has seen what a mention or hand-over pointed to.
          await readNotifications(uow, p, { conversationId: conv.id }, ctx.clock.now());
          return state;
        });
      },
    );

    app.post(
      '/conversations/:id/unread',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Mark a conversation unread for yourself',
          description:
            'Moves your read marker back to just before the newest customer message, so `unreadCount` is at least 1 (a conversation without customer messages stays at 0). A marker already before it stays put. Your other consoles receive a `conversation.read` event (sent to you only).',
          params: idParams,
          response: { 200: readStateSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        return transact(ctx, async (uow) => {
          const moved = await rewindMarker(uow.tx, {
            userId: p.userId,
            conversationId: conv.id,
            now: ctx.clock.now(),
          });
          const state = await readState(uow.tx, p.userId, conv.id);
          if (moved) uow.emit(p.accountId, 'conversation.read', state, conv.team_id);
          return state;
        });
      },
    );
  };
