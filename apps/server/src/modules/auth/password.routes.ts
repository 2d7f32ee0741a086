import { accessLinkBody, changePasswordBody } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { changeOwnPassword, useAccessLink } from './password-change.service.ts';
import { throttleSignIn } from './sign-in.service.ts';

export const passwordRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/me/password',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['auth'],
          summary: 'Change my password (knowing the current one); signs out my other sessions',
          description:
            'Policy: at least 10 characters, not one of the 10,000 most common passwords, not containing the ' +
            'e-mail (or its part before @, from 4 characters); refused with 400 `weak_password` and ' +
            '`details.problem`. Clears `password_change_required`.',
          body: changePasswordBody,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        // Guessing the current password from a stolen session is limited like signing in.
        await throttleSignIn(ctx, req.ip, `user:${p.userId}`);
        await changeOwnPassword(ctx, p, req.body.currentPassword, req.body.newPassword, req.ip);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/access-link',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Choose a new password with the one-time link an admin made (Reset access)',
          description: 'The link works once, for 24 hours. Then sign in with the new password as usual.',
          security: [],
          body: accessLinkBody,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await throttleSignIn(ctx, req.ip);
        await useAccessLink(ctx, req.body.token, req.body.newPassword, req.ip);
        return reply.status(204).send(null);
      },
    );
  };
