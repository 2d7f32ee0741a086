import { messageSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { transact } from '../events/unit-of-work.ts';
import { assertReplyWindow } from '../routing/window/window-policy.ts';
import { loadMessageDto } from './message.dto.ts';
import { emitMessageUpdated } from './message-store.ts';
import { enqueueSend } from './outbound-message.ts';

/**
 * `POST /messages/:id/retry`: an operator sends a failed reply again (after the customer unblocked the
 * bot, the callback came back, ...). Same message, same id: queued again with a new send job, subject to
 * the messaging window like any send.
 */
export const retryMessageRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    app.post(
      '/messages/:id/retry',
      {
        schema: {
          tags: ['messages'],
          summary: 'Queue a failed reply for delivery again (202)',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 202: messageSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const msg = await k
          .selectFrom('messages')
          .selectAll()
          .where('id', '=', req.params.id)
          .where('account_id', '=', p.accountId)
          .executeTakeFirst();
        if (!msg) throw notFound('Message');
        const conv = await loadVisibleConversation(ctx, p, msg.conversation_id);
        if (msg.direction !== 'out' || msg.private === 1 || msg.delivery_status !== 'failed') {
          throw new AppError('conflict', 'Only a failed reply can be sent again');
        }
        const channel = await k
          .selectFrom('channels')
          .select('active')
          .where('id', '=', conv.channel_id)
          .executeTakeFirstOrThrow();
        if (channel.active !== 1)
          throw new AppError('conflict', 'This channel is deactivated; replies cannot be delivered');
        await assertReplyWindow(ctx, conv, p, msg.content_kind === 'template' ? 'template' : undefined);
        const dto = await transact(ctx, async (uow) => {
          const r = await uow.tx
            .updateTable('messages')
            .set({
              delivery_status: 'queued',
              error_code: null,
              error_message: null,
              updated_at: ctx.clock.now(),
            })
            .where('id', '=', msg.id)
            .where('delivery_status', '=', 'failed')
            .executeTakeFirst();
          // A double click: the first one already re-queued it.
          if (Number(r.numUpdatedRows) === 1) {
            await enqueueSend(uow, conv, msg.id);
            return (await emitMessageUpdated(uow, p.accountId, msg.id, conv.team_id))!;
          }
          return (await loadMessageDto(uow.tx, msg.id))!;
        });
        return reply.status(202).send(dto);
      },
    );
  };
