import {
  resetAccessBody,
  resetAccessResult,
  userCreateBody as createBody,
  userListQuery as listQuery,
  userPatchBody as patchBody,
  userSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { resetAccess } from '../auth/password-change.service.ts';
import { requireRole } from '../auth/principal.ts';
import { clearTwoFactor } from '../auth/two-factor.service.ts';
import { loadUserDto, loadUserDtos } from './user.dto.ts';
import { createMember, updateMember } from './user.service.ts';

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
            'Add a user to the account (admin). Users belong to one account: the same e-mail in another account is a separate user with its own password. 409 when this account already has the e-mail.',
          body: createBody,
          response: { 201: userSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        const { userId } = await createMember(ctx, p, req.body, req.ip);
        return reply.status(201).send(await one(p.accountId, userId));
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

    app.post(
      '/users/:id/reset-access',
      {
        schema: {
          tags: ['users'],
          summary: "Reset a member's access (admin): their password stops working and they are signed out",
          description:
            '`temporary_password`: answered once here; it opens only the change-password screen. `link`: a ' +
            'one-time link (24 h) where they choose a password. `disableTwoFactor` also turns off their second ' +
            'factor (a lost phone).',
          params: idParams,
          body: resetAccessBody,
          response: { 200: resetAccessResult, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        await one(p.accountId, req.params.id);
        const r = await resetAccess(ctx, p, req.params.id, req.body.mode, req.ip);
        if (req.body.disableTwoFactor)
          await k.transaction().execute(async (tx) => {
            await clearTwoFactor(ctx, tx, req.params.id);
            await audit(ctx, tx, p, {
              action: 'auth.two_factor_disabled',
              targetType: 'user',
              targetId: req.params.id,
              details: { by: 'admin' },
              ip: req.ip,
            });
          });
        const origin = ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
        return {
          mode: req.body.mode,
          temporaryPassword: r.temporaryPassword,
          // The token travels in the fragment: browsers do not send it to servers or in Referer headers.
          link: r.linkToken ? `${origin}/access#${r.linkToken}` : null,
          expiresAt: r.expiresAt,
        };
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
