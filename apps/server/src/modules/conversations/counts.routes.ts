import { CONVERSATION_STATUSES } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { visibleTeamIds } from './conversation-access.ts';
import { countGroups, summarise } from './conversation-counts.ts';

const countsQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional().describe('only this status (omit: any status)'),
  team: z.string().min(1).max(64).optional().describe('only this team'),
  channel: z.string().min(1).max(64).optional().describe('only this channel'),
  assignee: z
    .enum(['me', 'none'])
    .optional()
    .describe('narrows `statuses`, `teams` and `channels` to your or the unassigned view'),
});

const countsSchema = z.object({
  views: z
    .object({ mine: z.number().int(), unassigned: z.number().int(), all: z.number().int() })
    .describe('conversations in each inbox view under the status, team and channel filters'),
  statuses: z
    .record(z.enum(CONVERSATION_STATUSES), z.number().int())
    .describe('each status under the other filters (every status listed, 0 included)'),
  teams: z
    .array(z.object({ teamId: z.string().nullable(), count: z.number().int() }))
    .describe('each team (null: no team) under the other filters; teams with none are left out'),
  channels: z
    .array(z.object({ channelId: z.string(), count: z.number().int() }))
    .describe('each channel under the other filters; channels with none are left out'),
});

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
