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
import { listFilterConditions } from './list-filter.ts';

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
            'Counts only the conversations you can see (operators: no team or their teams), under the same label, attribute and SLA state filters as the list. Without those it is one grouped read of an index, so it stays fast at hundreds of thousands of conversations; with them it reads the matching rows.',
          querystring: countsQuery,
          response: { 200: countsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const { label, attribute, slaState } = req.query;
        // Team visibility is applied by countGroups; only the list's row filters are passed down.
        const narrow = await listFilterConditions(
          ctx,
          { accountId: p.accountId, userId: p.userId, teams: undefined },
          { label, attribute, slaState },
          ctx.clock.now(),
        );
        const teams = await visibleTeamIds(ctx, p);
        return summarise(await countGroups(ctx.db.kysely, p.accountId, p.userId, teams, narrow), req.query);
      },
    );
  };
