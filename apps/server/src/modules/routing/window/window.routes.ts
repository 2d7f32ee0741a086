import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app-context.ts';
import { principalOf } from '../../../http/authenticate.ts';
import { AppError } from '../../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, idParams, pageQuery } from '../../../http/schemas.ts';
import { requireRole } from '../../auth/principal.ts';
import { loadVisibleConversation } from '../../conversations/conversation-access.ts';
import { conversationWindow } from './window-policy.ts';

export const windowSchema = z.object({
  open: z.boolean().describe('free text may be sent now'),
  reason: z
    .enum(['open', 'unlimited', 'no_inbound', 'expired', 'opted_in', 'opted_out'])
    .describe(
      'opted_in: the contact explicitly opted in, so the business may write without a window on this channel (closesAt null; never on WhatsApp); opted_out: the contact opted out here, nothing may be sent (templates included)',
    ),
  windowMs: z.number().nullable().describe('window length on this channel; null = unlimited'),
  lastInboundAt: z.number().nullable().describe("provider's time of the customer's last message"),
  closesAt: z
    .number()
    .nullable()
    .describe('when it closes (open) or closed (expired); recompute as lastInboundAt + windowMs on updates'),
  fallback: z
    .enum(['template', 'none'])
    .describe('what may be sent while closed: an approved template, or nothing'),
  tag: z
    .object({
      name: z.string().describe("the provider's tag, e.g. HUMAN_AGENT"),
      closesAt: z.number().describe('until when a reply with it may go'),
    })
    .nullable()
    .describe(
      "the window has closed, but an operator's own reply still goes out with this provider tag until closesAt " +
        '(Messenger and Instagram HUMAN_AGENT, up to 7 days, where the channel enables it); automatic messages, ' +
        'broadcasts and API clients may not use it',
    ),
  session: z
    .object({
      closesAt: z.number().nullable().describe('when the free session ends (null: the customer never wrote)'),
      billable: z.boolean().describe('a message sent now is outside the session and billed by the provider'),
    })
    .nullable()
    .optional()
    .describe(
      "the provider's free session, on channels that have one (Viber: 24 h after the customer's last message); " +
        'sending is allowed either way, messages sent outside it are billed and marked `meta.billable`',
    ),
  now: z.number().describe("server time, so a countdown does not depend on the browser's clock"),
});

const refusedSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  path: z.enum(['reply', 'api', 'automatic', 'template']),
  actorId: z.string().nullable(),
  reason: z.string(),
  windowClosedAt: z.number().nullable(),
  createdAt: z.number(),
});

/** The messaging window of a conversation, and the log of sends it refused. */
export const windowRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/conversations/:id/window',
      {
        schema: {
          tags: ['routing'],
          summary: 'Whether the business may write to the customer now, until when, and the fallback',
          params: idParams,
          response: { 200: windowSchema, ...errorResponses },
        },
      },
      async (req) => {
        const conv = await loadVisibleConversation(ctx, principalOf(req), req.params.id);
        const now = ctx.clock.now();
        return { ...(await conversationWindow(k, conv, now)), now };
      },
    );

    app.get(
      '/refused-sends',
      {
        schema: {
          tags: ['routing'],
          summary:
            'Sends refused by the messaging-window rule or because the contact opted out (reason opted_out), newest first (supervisor)',
          querystring: pageQuery.extend({ conversationId: z.string().max(64).optional() }),
          response: {
            200: z.object({ items: z.array(refusedSchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const q = req.query;
        const cursor = decodeCursor(q.cursor);
        if (q.cursor && cursor?.length !== 2) throw new AppError('validation_error', 'cursor: malformed');
        let query = k.selectFrom('refused_sends').selectAll().where('account_id', '=', p.accountId);
        if (q.conversationId) query = query.where('conversation_id', '=', q.conversationId);
        if (cursor) {
          const [at, id] = cursor as [number, string];
          query = query.where((eb) =>
            eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
          );
        }
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          items: page.map((r) => ({
            id: r.id,
            conversationId: r.conversation_id,
            channelId: r.channel_id,
            path: r.path as z.infer<typeof refusedSchema>['path'],
            actorId: r.actor_id,
            reason: r.reason,
            windowClosedAt: r.window_closed_at,
            createdAt: r.created_at,
          })),
          nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      },
    );
  };
