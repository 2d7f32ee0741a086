import { viewCreateBody, viewListSchema, viewPatchBody, viewSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { createView, deleteView, listViews, updateView } from './view.service.ts';

/** Saved inbox views: named conversation list filters, personal or shared by an admin with a team. */
export const viewRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/views',
      {
        schema: {
          tags: ['views'],
          summary: 'Your saved inbox views and those shared with your teams (admins: every shared view)',
          response: { 200: viewListSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await listViews(ctx.db.kysely, principalOf(req)) }),
    );

    app.post(
      '/views',
      {
        schema: {
          tags: ['views'],
          summary: 'Save the current inbox filters as a view (sharing with a team needs an admin)',
          body: viewCreateBody,
          response: { 201: viewSchema, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createView(ctx, principalOf(req), req.body)),
    );

    app.patch(
      '/views/:id',
      {
        schema: {
          tags: ['views'],
          summary: "Rename a view, change its filters or (admins) its team; a team's members cannot",
          params: idParams,
          body: viewPatchBody,
          response: { 200: viewSchema, ...errorResponses },
        },
      },
      async (req) => updateView(ctx, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      '/views/:id',
      {
        schema: {
          tags: ['views'],
          summary: 'Delete a view (its owner or an admin)',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deleteView(ctx, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
