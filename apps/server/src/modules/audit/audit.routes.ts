import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError } from '../../http/errors.ts';
import { decodeCursor, encodeCursor, errorResponses, pageQuery } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';

const entrySchema = z.object({
  id: z.string(),
  user: z
    .object({ id: z.string(), name: z.string(), email: z.string() })
    .nullable()
    .describe('who did it; null for the system (CLI, jobs)'),
  action: z.string().describe('e.g. user.created, team.deleted, channel.updated, token.revoked'),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.number(),
});

const listQuery = pageQuery.extend({
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(64).optional(),
});

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit-log',
      {
        schema: {
          tags: ['audit'],
          summary: 'Admin actions of the account, newest first (admin; cursor pagination)',
          querystring: listQuery,
          response: {
            200: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { limit, action, targetType, targetId } = req.query;
        const cursor = decodeCursor(req.query.cursor);
        if (req.query.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
          throw new AppError('validation_error', 'cursor: malformed');
        let q = ctx.db.kysely
          .selectFrom('audit_log as a')
          .leftJoin('users as u', 'u.id', 'a.user_id')
          .selectAll('a')
          .select(['u.name as user_name', 'u.email as user_email'])
          .where('a.account_id', '=', p.accountId);
        if (action) q = q.where('a.action', '=', action);
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
  };
