import { providerTemplatesSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { AppError } from '../../../http/errors.ts';
import { errorResponses, errorSchema, idParams } from '../../../http/schemas.ts';
import { loadVisibleConversation } from '../../conversations/conversation-access.ts';
import { replyTarget } from '../../conversations/reply-channels.ts';
import { loadChannel } from '../channel.service.ts';
import { GraphApiError, GraphNetworkError } from './graph-client.ts';
import { listApprovedTemplates } from './whatsapp-templates.ts';

/**
 * `GET /conversations/:id/provider-templates`: the provider-approved templates the conversation's channel
 * may send (WhatsApp: read from the business account at Meta). What the console offers when the
 * messaging window is closed; sending one is `POST /conversations/:id/messages` with `template`.
 */
export const whatsappTemplateRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/conversations/:id/provider-templates',
      {
        schema: {
          tags: ['messages'],
          summary: "Approved templates of the conversation's channel (sendable outside the WhatsApp window)",
          params: idParams,
          querystring: z.object({
            channelId: z
              .string()
              .max(64)
              .optional()
              .describe(
                "another of the customer's channels (GET /conversations/:id/reply-channels): its templates",
              ),
          }),
          response: { 200: providerTemplatesSchema, ...errorResponses, 503: errorSchema },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        const channelId = req.query.channelId
          ? (await replyTarget(ctx, p, conv, req.query.channelId)).channel.id
          : conv.channel_id;
        const { runtime } = await loadChannel(ctx, channelId, conv.account_id);
        if (runtime.type !== 'whatsapp')
          return { available: false, reason: 'not_supported' as const, items: [] };
        if (typeof runtime.settings.businessAccountId !== 'string')
          return { available: false, reason: 'no_business_account' as const, items: [] };
        try {
          return { available: true, reason: 'ok' as const, items: await listApprovedTemplates(ctx, runtime) };
        } catch (err) {
          if (err instanceof GraphApiError || err instanceof GraphNetworkError)
            throw new AppError('service_unavailable', `WhatsApp did not list the templates: ${err.message}`);
          throw err;
        }
      },
    );
  };
