import { typingBody } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import { loadVisibleConversation } from '../../conversations/conversation-access.ts';
import { publishTyping } from '../../realtime/live-activity.ts';
import { WIDGET_TOPIC, type WidgetBusMessage } from './widget-bus.ts';

/**
 * `POST /conversations/:id/typing`: the operator is typing (or stopped). Colleagues who have the
 * conversation open see it in the console (also for a private note); a reply's typing is also shown in
 * the site widget, while other channels have no way to show it. Nothing is stored: a lost typing signal
 * only means the indicator appears a moment later (and a lost "stopped" expires by itself).
 */
export const widgetOperatorRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/conversations/:id/typing',
      {
        config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
        schema: {
          tags: ['messages'],
          summary: 'Signal that you are typing (shown to colleagues, and in the site chat widget)',
          params: idParams,
          body: typingBody,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        const k = ctx.db.kysely;
        const user = await k.selectFrom('users').select('name').where('id', '=', p.userId).executeTakeFirst();
        await publishTyping(ctx.bus, {
          accountId: p.accountId,
          conversationId: conv.id,
          who: { kind: 'user', userId: p.userId, name: user?.name ?? '' },
          typing: req.body.typing,
          private: req.body.private,
        });
        if (req.body.private) return reply.status(204).send(null);
        const target = await k
          .selectFrom('channels')
          .innerJoin('contact_identities as ci', (j) =>
            j.onRef('ci.channel_id', '=', 'channels.id').on('ci.contact_id', '=', conv.contact_id),
          )
          .select(['channels.type', 'ci.external_id'])
          .where('channels.id', '=', conv.channel_id)
          .executeTakeFirst();
        if (target?.type === 'widget') {
          const note: WidgetBusMessage = {
            kind: 'typing',
            channelId: conv.channel_id,
            externalId: target.external_id,
            typing: req.body.typing,
            name: user?.name ?? null,
          };
          await ctx.bus.publish(WIDGET_TOPIC, note);
        }
        return reply.status(204).send(null);
      },
    );
  };
