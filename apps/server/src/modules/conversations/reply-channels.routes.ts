import { replyChannelsSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { loadVisibleConversation } from './conversation-access.ts';
import { replyChannels } from './reply-channels.ts';

export const replyChannelRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/conversations/:id/reply-channels',
      {
        schema: {
          tags: ['conversations'],
          summary:
            "The customer's channels a reply may go on (this conversation's first), each with its messaging window; send on another with `channelId` in POST /conversations/:id/messages",
          params: idParams,
          response: { 200: replyChannelsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const conv = await loadVisibleConversation(ctx, p, req.params.id);
        return { items: await replyChannels(ctx, p, conv) };
      },
    );
  };
