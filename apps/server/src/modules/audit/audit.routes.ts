import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActionsSchema, auditPageSchema, timeParam } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, pageQuery } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';

const listQuery = pageQuery.extend({
  actor: z.string().min(1).max(64).optional().describe('a user id, or "system" for entries without a user'),
  action: z.string().max(100).optional().describe('exact action, e.g. user.role_changed'),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(64).optional(),
  from: timeParam.optional().describe('inclusive lower bound of createdAt'),
  to: timeParam.optional().describe('exclusive upper bound of createdAt'),
});

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit-log',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Audit log of the account, newest first (admin; cursor pagination), filtered by actor, action, target and time',
          querystring: listQuery,
          response: { 200: auditPageSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { limit, actor, action, targetType, targetId, from, to } = req.query;
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
          throw new AppError('validation_error', 'cursor: malformed');
        let q = ctx.db.kysely
          .selectFrom('audit_log as a')
          .leftJoin('users as u', 'u.id', 'a.user_id')
          .selectAll('a')
          .select(['u.name as user_name', 'u.email as user_email'])
          .where('a.account_id', '=', p.accountId);
        if (actor === 'system') q = q.where('a.user_id', 'is', null);
        else if (actor) q = q.where('a.user_id', '=', actor);
        if (action) q = q.where('a.action', '=', action);
        if (from !== undefined) q = q.where('a.created_at', '>=', from);
        if (to !== undefined) q = q.where('a.created_at', '<', to);
        if (targetType) q = q.where('a.target_type', '=', targetType);
        if (targetId) q = q.where('a.target_id', '=', targetId);
        if (cursor) {
          const [at, id] = cursor as [number, string];
          q = q.where((eb) =>
            eb.or([eb('a.created_at', '<', at), eb.and([eb('a.created_at', '=', at), eb('a.id', '<', id)])]),
          );
        }
        const rows = await q
          .orderBy('a.created_at', 'desc')
          .orderBy('a.id', 'desc')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: page.map((r) => ({
            id: r.id,
            user:
              r.user_id && r.user_name !== null && r.user_email !== null
                ? { id: r.user_id, name: r.user_name, email: r.user_email }
                : null,
            action: r.action,
            targetType: r.target_type,
            targetId: r.target_id,
            details: JSON.parse(r.details) as Record<string, unknown>,
            ip: r.ip,
            createdAt: r.created_at,
          })),
          nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
        };
      },
    );

    app.get(
      '/audit-log/actions',
      {
        schema: {
          tags: ['audit'],
          summary: "The actions that occur in the account's audit log, for a filter (admin)",
          response: { 200: auditActionsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const rows = await ctx.db.kysely
          .selectFrom('audit_log')
          .select('action')
          .distinct()
          .where('account_id', '=', p.accountId)
          .orderBy('action')
          .execute();
        return { items: rows.map((r) => r.action) };
      },
    );
  };
