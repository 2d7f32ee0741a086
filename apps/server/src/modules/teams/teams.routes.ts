import { teamCreateBody, teamMembersBody, teamRenameBody, teamSchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { loadTeamDtos } from './team.dto.ts';
import { createTeam, deleteTeam, renameTeam, setTeamMembers } from './team.service.ts';

export const teamRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function one(accountId: string, teamId: string) {
      const [team] = await loadTeamDtos(k, accountId, teamId);
      if (!team) throw notFound('Team');
      return team;
    }

    app.get(
      '/teams',
      {
        schema: {
          tags: ['teams'],
          summary: 'Teams of the account with their member ids, by name',
          response: { 200: z.object({ items: z.array(teamSchema) }), ...errorResponses },
        },
      },
      async (req) => ({ items: await loadTeamDtos(k, principalOf(req).accountId) }),
    );

    app.get(
      '/teams/:id',
      {
        schema: {
          tags: ['teams'],
          summary: 'One team',
          params: idParams,
          response: { 200: teamSchema, ...errorResponses },
        },
      },
      async (req) => one(principalOf(req).accountId, req.params.id),
    );

    app.post(
      '/teams',
      {
        schema: {
          tags: ['teams'],
          summary: 'Create a team (admin); names are unique in the account (409)',
          body: teamCreateBody,
          response: { 201: teamSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const id = await createTeam(ctx, p, req.body, req.ip);
        return reply.status(201).send(await one(p.accountId, id));
      },
    );

    app.patch(
      '/teams/:id',
      {
        schema: {
          tags: ['teams'],
          summary: 'Rename a team (admin)',
          params: idParams,
          body: teamRenameBody,
          response: { 200: teamSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await renameTeam(ctx, p, req.params.id, req.body.name, req.ip);
        return one(p.accountId, req.params.id);
      },
    );

    app.put(
      '/teams/:id/members',
      {
        schema: {
          tags: ['teams'],
          summary: 'Replace the members of a team (admin); every id must be a user of this account',
          params: idParams,
          body: teamMembersBody,
          response: { 200: teamSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await setTeamMembers(ctx, p, req.params.id, req.body.userIds, req.ip);
        return one(p.accountId, req.params.id);
      },
    );

    app.delete(
      '/teams/:id',
      {
        schema: {
          tags: ['teams'],
          summary:
            'Delete a team (admin); its channels and conversations stay, belonging to no team (visible to everyone)',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await deleteTeam(ctx, p, req.params.id, req.ip);
        return reply.status(204).send(null);
      },
    );
  };
