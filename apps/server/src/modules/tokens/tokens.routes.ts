import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  type ApiTokenDto,
  apiTokenSchema,
  createApiTokenBody,
  createdApiTokenSchema,
} from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { principalOf } from '../../http/authenticate.ts';
import { forbidden } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './token.service.ts';

function dto(row: Row<'api_tokens'>, userName: string, now: number): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    user: { id: row.user_id, name: userName },
    scope: row.scope === 'read' ? 'read' : 'write',
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && row.expires_at <= now,
    lastUsedAt: row.last_used_at,
  };
}

export const tokenRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary:
            'Create an API token for yourself (signed-in session only), optionally read-only (`scope: "read"`: GET/HEAD only) and expiring (`expiresAt`). The token is in this answer and never again.',
          body: createApiTokenBody,
          response: {
            201: createdApiTokenSchema,
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        // A leaked token must not be able to mint successors that outlive its revocation.
        if (p.via !== 'session') throw forbidden('API tokens can only be created from a signed-in session');
        const { row, token } = await createApiToken(ctx, p, req.body, req.ip);
        const me = await ctx.db.kysely
          .selectFrom('users')
          .select('name')
          .where('id', '=', p.userId)
          .executeTakeFirstOrThrow();
        return reply.status(201).send({ ...dto(row, me.name, ctx.clock.now()), token });
      },
    );

    app.get(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary:
            'API tokens not revoked (expired ones included, flagged): all of the account for admins, your own otherwise (never the token)',
          response: { 200: z.object({ items: z.array(apiTokenSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const items = await listApiTokens(ctx, principalOf(req));
        const now = ctx.clock.now();
        return { items: items.map((t) => dto(t.row, t.userName, now)) };
      },
    );

    app.delete(
      '/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Revoke an API token (yours; admins: any of the account). It answers 401 from now on.',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await revokeApiToken(ctx, principalOf(req), req.params.id, req.ip);
        return reply.status(204).send(null);
      },
    );
  };
