import { conversationSchema } from '@switchboard/shared';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { errorResponses } from '../../../http/schemas.ts';
import { visibleTeamIds } from '../../conversations/conversation-access.ts';
import { conversationQuery, toConversationDtos } from '../../conversations/conversation.dto.ts';

/** The queue operators pick from in manual mode: unassigned open conversations, urgent then oldest first. */
export const queueRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    app.get(
      '/queue',
      {
        schema: {
          tags: ['routing'],
          summary: 'Unassigned open conversations, highest priority then oldest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            channel: z.string().max(64).optional(),
          }),
          response: { 200: z.object({ items: z.array(conversationSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const teams = await visibleTeamIds(ctx, p);
        let q = conversationQuery(k)
          .where('c.account_id', '=', p.accountId)
          .where('c.assignee_id', 'is', null)
          .where('c.status', '=', 'open');
        if (teams)
          q = q.where((eb) =>
            eb.or([eb('c.team_id', 'is', null), ...(teams.length ? [eb('c.team_id', 'in', teams)] : [])]),
          );
        if (req.query.channel) q = q.where('c.channel_id', '=', req.query.channel);
        const rows = await q
          .orderBy(
            sql`case c.priority when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end`,
            'desc',
          )
          .orderBy('c.created_at')
          .orderBy('c.id')
          .limit(req.query.limit)
          .execute();
        return { items: await toConversationDtos(k, rows) };
      },
    );
  };
