import {
  conversationCountsQuery as countsQuery,
  conversationCountsSchema as countsSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { visibleTeamIds } from './conversation-access.ts';
import { countGroups, summarise } from './conversation-counts.ts';

export const countRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/conversations/counts',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Exact conversation counts for the inbox views, statuses, teams and channels',
          description:
            'Counts only the conversations you can see (operators: no team or their teams). One grouped read of an index, so it stays fast at hundreds of thousands of conversations.',
          querystring: countsQuery,
          response: { 200: countsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const groups = await countGroups(ctx.db.kysely, p.accountId, p.userId, await visibleTeamIds(ctx, p));
        return summarise(groups, req.query);
      },
    );
  };
