import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { conflict } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';

const securitySchema = z.object({
  requireTwoFactor: z
    .boolean()
    .describe('every member must sign in with a second factor; those without one are sent to enrol first'),
});

/** Account-wide sign-in settings. */
export const accountSecurityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    app.get(
      '/account/security',
      {
        schema: {
          tags: ['auth'],
          summary: "The account's sign-in settings",
          response: { 200: securitySchema, ...errorResponses },
        },
      },
      async (req) => {
        const a = await k
          .selectFrom('accounts')
          .select('require_two_factor')
          .where('id', '=', principalOf(req).accountId)
          .executeTakeFirstOrThrow();
        return { requireTwoFactor: a.require_two_factor === 1 };
      },
    );

    app.put(
      '/account/security',
      {
        schema: {
          tags: ['auth'],
          summary: "Change the account's sign-in settings (admin; turn on your own two-factor sign-in first)",
          body: securitySchema,
          response: { 200: securitySchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'admin');
        if (req.body.requireTwoFactor) {
          const me = await k
            .selectFrom('users')
            .select('totp_enabled_at')
            .where('id', '=', p.userId)
            .executeTakeFirstOrThrow();
          // Otherwise the admin's own next request would send them to enrol, mid-way through a settings page.
          if (me.totp_enabled_at === null) throw conflict('Turn on your own two-factor sign-in first');
        }
        await k.transaction().execute(async (tx) => {
          await tx
            .updateTable('accounts')
            .set({ require_two_factor: req.body.requireTwoFactor ? 1 : 0 })
            .where('id', '=', p.accountId)
            .execute();
          await audit(ctx, tx, p, {
            action: 'account.security_updated',
            targetType: 'account',
            targetId: p.accountId,
            details: req.body,
            ip: req.ip,
          });
        });
        return req.body;
      },
    );
  };
