import { AVAILABILITY, ROLES } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { onAvailabilityChanged } from '../routing/routing.hooks.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { sessionCookieOptions } from './session-cookie.ts';
import { SESSION_COOKIE, createSession, lastSeen, revokeSession } from './session.service.ts';

const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  account: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(ROLES),
  availability: z.enum(AVAILABILITY),
  capacity: z.number(),
  teamIds: z.array(z.string()),
  csrfToken: z.string().nullable(),
});

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function loadMe(userId: string, accountId: string, csrfToken: string | null) {
      const row = await k
        .selectFrom('memberships as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .innerJoin('accounts as a', 'a.id', 'm.account_id')
        .select([
          'u.id',
          'u.email',
          'u.name',
          'a.id as account_id',
          'a.name as account_name',
          'm.role',
          'm.availability',
          'm.capacity',
        ])
        .where('m.user_id', '=', userId)
        .where('m.account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('User');
      const teams = await k
        .selectFrom('team_members')
        .select('team_id')
        .where('user_id', '=', userId)
        .where('account_id', '=', accountId)
        .execute();
      return {
        user: { id: row.id, email: row.email, name: row.name },
        account: { id: row.account_id, name: row.account_name },
        role: row.role as (typeof ROLES)[number],
        availability: row.availability as (typeof AVAILABILITY)[number],
        capacity: row.capacity,
        teamIds: teams.map((t) => t.team_id),
        csrfToken,
      };
    }

    app.post(
      '/auth/login',
      {
        config: {
          public: true,
          rateLimit: {
            // After body parsing: at the default onRequest hook there is no e-mail yet, so every login
            // from one address (a whole office behind NAT) would share a single bucket.
            hook: 'preHandler',
            max: ctx.config.loginRateLimit,
            timeWindow: '1 minute',
            keyGenerator: (req) =>
              // Normalised like the lookup below, so " Admin@x" is not a fresh bucket for the same account.
              `${req.ip}:${String((req.body as { email?: unknown } | undefined)?.email ?? '')
                .trim()
                .toLowerCase()}`,
          },
        },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password; sets the session cookie',
          security: [],
          body: z.object({
            email: z.string().min(3).max(320),
            password: z.string().min(1).max(1000),
            accountId: z.string().optional(),
          }),
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const email = req.body.email.trim().toLowerCase();
        const user = await k.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
        const ok = await verifyPassword(
          user?.password_hash ?? (await dummyPasswordHash()),
          req.body.password,
        );
        if (!user || !ok) throw new AppError('invalid_credentials', 'Wrong e-mail or password');
        const membership = await k
          .selectFrom('memberships')
          .select(['account_id'])
          .where('user_id', '=', user.id)
          .where('active', '=', 1)
          .$if(req.body.accountId !== undefined, (q) => q.where('account_id', '=', req.body.accountId!))
          .orderBy('created_at')
          .executeTakeFirst();
        if (!membership) throw new AppError('invalid_credentials', 'This user has no active account');
        const s = await createSession(ctx, user.id, membership.account_id, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        reply.setCookie(SESSION_COOKIE, s.token, sessionCookieOptions(ctx, req, s.expiresAt));
        return loadMe(user.id, membership.account_id, s.csrfToken);
      },
    );

    app.post(
      '/auth/logout',
      {
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
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, account, role and CSRF token',
          response: { 200: meSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return loadMe(p.userId, p.accountId, p.csrfToken ?? null);
      },
    );

    app.patch(
      '/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change my name or availability (presence)',
          body: z.object({
            name: z.string().trim().min(1).max(200).optional(),
            availability: z.enum(AVAILABILITY).optional(),
          }),
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
        return loadMe(p.userId, p.accountId, p.csrfToken ?? null);
      },
    );

    app.get(
      '/me/sessions',
      {
        schema: {
          tags: ['auth'],
          summary: 'My active sessions',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  createdAt: z.number(),
                  expiresAt: z.number(),
                  lastSeenAt: z
                    .number()
                    .describe('last request (to the minute); idle longer than SESSION_IDLE_MINUTES ends it'),
                  ip: z.string().nullable(),
                  userAgent: z.string().nullable(),
                  current: z.boolean(),
                }),
              ),
            }),
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
