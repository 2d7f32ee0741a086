import {
  loginBody,
  meSchema,
  mePatchBody,
  twoFactorLoginBody,
  userSessionListSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { onAvailabilityChanged } from '../routing/routing.hooks.ts';
import { createChallenge, finishChallenge, openChallenge } from './login-challenge.ts';
import { provenAccountsOf } from './proven-accounts.ts';
import { sessionCookieOptions } from './session-cookie.ts';
import { SESSION_COOKIE, lastSeen, revokeSession } from './session.service.ts';
import { loadMe, startSession } from './sign-in-session.ts';
import {
  accountChoiceRequired,
  invalidCredentials,
  openAccounts,
  throttleSignIn,
} from './sign-in.service.ts';
import { acceptSecondFactor } from './two-factor.service.ts';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password; sets the session cookie',
          description:
            'Users belong to one account. When the e-mail and password open several accounts the answer is ' +
            '409 `account_choice_required` with `details.accounts` (only those this password opened); send again ' +
            'with `accountId`. With two-factor sign-in the answer is 401 `two_factor_required` with ' +
            '`details.pendingToken`: finish with POST /auth/login/2fa. A wrong e-mail, a wrong password and a ' +
            'deactivated user all get the same 401 `invalid_credentials`. Attempts are limited per IP address ' +
            'and per e-mail (429 `rate_limited`).',
          security: [],
          body: loginBody,
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        // Normalised before counting, so " Admin@x" is not a fresh bucket for the same person.
        const email = req.body.email.trim().toLowerCase();
        await throttleSignIn(ctx, req.ip, `email:${email}`);
        // Every account is checked even when one is chosen: the session remembers all this password
        // opened, for the console's account switcher.
        const opened = await openAccounts(ctx, email, req.body.password, req.ip);
        if (opened.length === 0) throw invalidCredentials();
        const chosen = req.body.accountId;
        if (chosen === undefined && opened.length > 1) throw accountChoiceRequired(opened);
        const user = chosen === undefined ? opened[0] : opened.find((o) => o.accountId === chosen);
        if (!user) throw invalidCredentials();
        const proven = await provenAccountsOf(ctx, opened);
        if (user.twoFactor) {
          const pending = await createChallenge(ctx, user.userId, user.accountId, proven);
          throw new AppError('two_factor_required', 'Enter the code from your authenticator app', pending);
        }
        return startSession(ctx, req, reply, {
          userId: user.userId,
          accountId: user.accountId,
          via: 'password',
          proven,
          startPresence: req.body.startPresence,
        });
      },
    );

    app.post(
      '/auth/login/2fa',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Finish a sign-in with a two-factor code or a recovery code; sets the session cookie',
          description:
            'A pending login allows five attempts within five minutes; each code works once, each recovery code once.',
          security: [],
          body: twoFactorLoginBody,
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        await throttleSignIn(ctx, req.ip);
        const challenge = await openChallenge(ctx, req.body.pendingToken);
        const { userId, accountId } = challenge;
        const factor = await acceptSecondFactor(ctx, userId, req.body);
        if (!factor) {
          await audit(
            ctx,
            k,
            { accountId, userId },
            {
              action: 'auth.sign_in_failed',
              targetType: 'user',
              targetId: userId,
              details: { reason: 'wrong_code' },
              ip: req.ip,
            },
          );
          throw new AppError('invalid_code', 'Wrong or already used code');
        }
        if (!(await finishChallenge(ctx, challenge.id))) throw invalidCredentials();
        if (factor === 'recovery')
          await audit(
            ctx,
            k,
            { accountId, userId },
            { action: 'auth.recovery_code_used', targetType: 'user', targetId: userId, ip: req.ip },
          );
        // Deactivated between the password and the code: the same answer as a wrong password.
        const m = await k
          .selectFrom('memberships')
          .select('active')
          .where('user_id', '=', userId)
          .where('account_id', '=', accountId)
          .executeTakeFirst();
        if (m?.active !== 1) throw invalidCredentials();
        return startSession(ctx, req, reply, {
          userId,
          accountId,
          via: factor,
          proven: challenge.proven,
          startPresence: req.body.startPresence,
        });
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['auth'],
          summary: 'End the current session',
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        if (p.sessionId) await revokeSession(ctx, p.sessionId, p.userId);
        reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(ctx, req));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        config: { allowRestricted: true },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, account, role and CSRF token',
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return loadMe(ctx, p.userId, p.accountId, p.csrfToken ?? null);
      },
    );

    app.patch(
      '/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change my name or availability (presence)',
          body: mePatchBody,
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const now = ctx.clock.now();
        await transact(ctx, async (uow) => {
          if (req.body.name)
            await uow.tx
              .updateTable('users')
              .set({ name: req.body.name, updated_at: now })
              .where('id', '=', p.userId)
              .execute();
          if (req.body.availability) {
            await uow.tx
              .updateTable('memberships')
              .set({ availability: req.body.availability, updated_at: now })
              .where('user_id', '=', p.userId)
              .where('account_id', '=', p.accountId)
              .execute();
            uow.emit(p.accountId, 'presence.updated', {
              userId: p.userId,
              availability: req.body.availability,
            });
            await onAvailabilityChanged(ctx, uow, p.accountId, p.userId, req.body.availability);
          }
        });
        return loadMe(ctx, p.userId, p.accountId, p.csrfToken ?? null);
      },
    );

    app.get(
      '/me/sessions',
      {
        schema: {
          tags: ['auth'],
          summary: 'My active sessions',
          response: {
            200: userSessionListSchema,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const now = ctx.clock.now();
        const rows = await k
          .selectFrom('sessions')
          .selectAll()
          .where('user_id', '=', p.userId)
          .where('account_id', '=', p.accountId)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .orderBy('created_at', 'desc')
          .execute();
        return {
          // Idle ones are already dead (their next use deletes them), so they are not shown.
          items: rows
            .filter((r) => now - lastSeen(r) <= ctx.config.sessionIdleMs)
            .map((r) => ({
              id: r.id,
              createdAt: r.created_at,
              expiresAt: r.expires_at,
              lastSeenAt: lastSeen(r),
              ip: r.ip,
              userAgent: r.user_agent,
              current: r.id === p.sessionId,
            })),
        };
      },
    );

    app.delete(
      '/me/sessions/:id',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke one of my sessions (sign out another device)',
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const revoked = await k.transaction().execute(async (tx) => {
          if (!(await revokeSession(ctx, req.params.id, p.userId, tx))) return false;
          await audit(ctx, tx, p, {
            action: 'session.revoked',
            targetType: 'session',
            targetId: req.params.id,
            ip: req.ip,
          });
          return true;
        });
        if (!revoked) throw notFound('Session');
        return reply.status(204).send(null);
      },
    );
  };
