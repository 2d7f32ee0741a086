import { meSchema, myAccountsSchema, switchAccountBody } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { switchableAccounts } from './proven-accounts.ts';
import { revokeSession } from './session.service.ts';
import { throttleSignIn } from './sign-in.service.ts';
import { loadMe, startSession } from './sign-in-session.ts';
import { acceptSecondFactor } from './two-factor.service.ts';

/**
 * The console's account switcher for a person with a user in several accounts (same e-mail, same
 * password, proven at sign-in: see proven-accounts.ts).
 */
export const accountSwitchRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me/accounts',
      {
        schema: {
          tags: ['auth'],
          summary: 'The accounts I can switch to without signing in again',
          description:
            "The accounts whose user this session's e-mail and password opened at sign-in, while that user " +
            'is active and still has that password; always includes the current account. API tokens see only ' +
            'their own account.',
          response: { 200: myAccountsSchema, ...errorResponses },
        },
      },
      async (req) => {
        const items = await switchableAccounts(ctx, principalOf(req));
        return { items: items.map(({ userId: _u, ...a }) => a) };
      },
    );

    app.post(
      '/me/accounts/switch',
      {
        schema: {
          tags: ['auth'],
          summary: 'Switch the session to another of my accounts; sets a new session cookie',
          description:
            'Only an account of GET /me/accounts (404 otherwise). When the user there has two-factor sign-in ' +
            'the answer is 401 `two_factor_required` until the body carries its `code` or `recoveryCode` ' +
            '(code attempts are limited like sign-ins). The current session ends; the new one keeps the list.',
          body: switchAccountBody,
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        if (p.via !== 'session' || !p.sessionId)
          throw new AppError('forbidden', 'Only a signed-in session can switch accounts');
        const target = (await switchableAccounts(ctx, p)).find((a) => a.id === req.body.accountId);
        if (!target) throw notFound('Account');
        if (target.current) return loadMe(ctx, p.userId, p.accountId, p.csrfToken ?? null);
        let via = 'switch';
        if (target.twoFactor) {
          if (req.body.code === undefined && req.body.recoveryCode === undefined)
            throw new AppError(
              'two_factor_required',
              `Enter the code of your authenticator app for ${target.name}`,
              {
                accountId: target.id,
              },
            );
          await throttleSignIn(ctx, req.ip, `user:${target.userId}`);
          const factor = await acceptSecondFactor(ctx, target.userId, req.body);
          if (!factor) {
            await audit(
              ctx,
              ctx.db.kysely,
              { accountId: target.id, userId: target.userId },
              {
                action: 'auth.sign_in_failed',
                targetType: 'user',
                targetId: target.userId,
                details: { reason: 'wrong_code' },
                ip: req.ip,
              },
            );
            throw new AppError('invalid_code', 'Wrong or already used code');
          }
          via = `switch_${factor}`;
        }
        const proven = await ctx.db.kysely
          .selectFrom('sessions')
          .select('proven_accounts')
          .where('id', '=', p.sessionId)
          .executeTakeFirstOrThrow();
        const me = await startSession(ctx, req, reply, {
          userId: target.userId,
          accountId: target.id,
          via,
          proven: proven.proven_accounts,
          startPresence: req.body.startPresence,
        });
        // One cookie holds one session: the one left behind would only wait for its idle timeout.
        await revokeSession(ctx, p.sessionId, p.userId);
        return me;
      },
    );
  };
