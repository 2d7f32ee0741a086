import type { ConversationMergedBody } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { conversationMergedError } from './conversation-locks.ts';

const CONVERSATION_ROUTE = /^\/api\/v1\/conversations\/:id(\/|$)/;

/**
 * A merged-away conversation keeps its row only as a pointer to the one it went into. Asked for by id,
 * `GET /conversations/:id` answers 301 with Location (the console follows it to the kept conversation);
 * every other route of that conversation answers 409 `conversation_merged` with `details.mergedInto`, so
 * nothing is ever written to the pointer.
 */
export function registerMergedConversationGuard(v1: FastifyInstance, ctx: AppContext): void {
  v1.addHook('preHandler', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || !CONVERSATION_ROUTE.test(route)) return;
    const id = (req.params as { id?: unknown }).id;
    if (typeof id !== 'string' || !req.principal) return;
    const row = await ctx.db.kysely
      .selectFrom('conversations')
      .select('merged_into')
      .where('id', '=', id)
      .where('account_id', '=', principalOf(req).accountId)
      .executeTakeFirst();
    if (!row?.merged_into) return;
    if (req.method === 'GET' && route === '/api/v1/conversations/:id') {
      const body: ConversationMergedBody = {
        error: {
          code: 'conversation_merged',
          message: `This conversation was merged into ${row.merged_into}`,
        },
        mergedInto: row.merged_into,
      };
      return reply.status(301).header('location', `/api/v1/conversations/${row.merged_into}`).send(body);
    }
    throw conversationMergedError(row.merged_into);
  });
}
