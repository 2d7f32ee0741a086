import { ROLES } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { requireRole } from '../auth/principal.ts';
import { loadUserDto, loadUserDtos, userSchema } from './user.dto.ts';
import { createMember, updateMember } from './user.service.ts';

const password = z.string().min(8).max(1000);
const capacity = z.number().int().min(0).max(1000);

const createBody = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320)
    .pipe(z.email())
    .describe('e-mail address; trimmed and lower-cased'),
  name: z.string().trim().min(1).max(200).optional(),
  password: password.optional().describe('required when no user has this e-mail yet; ignored otherwise'),
  role: z.enum(ROLES),
  capacity: capacity.default(10),
  active: z.boolean().default(true),
});

const patchBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    password: password.optional().describe('signs the user out everywhere'),
    role: z.enum(ROLES).optional(),
    capacity: capacity.optional(),
    active: z.boolean().optional().describe('false signs the user out everywhere'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

const listQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  role: z.enum(ROLES).optional(),
});

export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function one(accountId: string, userId: string) {
      const u = await loadUserDto(k, accountId, userId);
      if (!u) throw notFound('User');
      return u;
    }

    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Members of the account with role, presence and capacity, in the order they joined',
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(userSchema) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return { items: await loadUserDtos(k, p.accountId, req.query) };
      },
    );

    app.get(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'One member of the account',
          params: idParams,
          response: { 200: userSchema, ...errorResponses },
        },
      },
      async (req) => one(principalOf(req).accountId, req.params.id),
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary:
            'Add a user to the account (admin). An e-mail that already has a user reuses it (existingUser: true).',
          body: createBody,
          response: {
            201: userSchema.extend({
              existingUser: z
                .boolean()
                .describe('true: the e-mail already had a user, who keeps their own name and password'),
            }),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { userId, existingUser } = await createMember(ctx, p, req.body, req.ip);
        return reply.status(201).send({ ...(await one(p.accountId, userId)), existingUser });
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            'Change role, capacity, name, password or active (admin). The last active admin cannot be demoted or deactivated (409).',
          params: idParams,
          body: patchBody,
          response: { 200: userSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await updateMember(ctx, p, req.params.id, req.body, req.ip);
        return one(p.accountId, req.params.id);
      },
    );

    app.delete(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            'Deactivate a user (admin): they are signed out and refused; history and the user record stay. Reactivate with PATCH active=true.',
          params: idParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await updateMember(ctx, p, req.params.id, { active: false }, req.ip, 'user.deactivated');
        return reply.status(204).send(null);
      },
    );
  };
