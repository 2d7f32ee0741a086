import { healthSchema, healthUnavailableSchema } from '@switchboard/shared';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/health',
      {
        config: { public: true },
        schema: {
          tags: ['system'],
          summary: 'Liveness and database reachability',
          security: [],
          response: {
            200: healthSchema,
            503: healthUnavailableSchema,
          },
        },
      },
      async (_req, reply) => {
        try {
          await sql`select 1`.execute(ctx.db.kysely);
          return { status: 'ok' as const, database: ctx.db.dialect, time: ctx.clock.now() };
        } catch {
          return reply
            .status(503)
            .send({ status: 'unavailable' as const, database: ctx.db.dialect, time: ctx.clock.now() });
        }
      },
    );
  };
