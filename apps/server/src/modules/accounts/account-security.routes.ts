import { type AccountSecurity, accountSecurityBody, accountSecuritySchema } from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { conflict } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { requireRole } from '../auth/principal.ts';

/** Account-wide sign-in settings. */
export const accountSecurityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;

    async function read(accountId: string): Promise<AccountSecurity> {
      const a = await k
        .selectFrom('accounts')
        .select(['require_two_factor', 'sign_in_availability'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      return {
        requireTwoFactor: a.require_two_factor === 1,
        signInAvailability: a.sign_in_availability as AccountSecurity['signInAvailability'],
      };
    }

    app.get(
      '/account/security',
      {
        schema: {
          tags: ['auth'],
          summary: "The account's sign-in settings (second factor, presence on signing in)",
          response: { 200: accountSecuritySchema, ...errorResponses },
        },
      },
      async (req) => read(principalOf(req).accountId),
    );

    app.put(
      '/account/security',
      {
        schema: {
          tags: ['auth'],
          summary: "Change the account's sign-in settings (admin; turn on your own two-factor sign-in first)",
          body: accountSecurityBody,
          response: { 200: accountSecuritySchema, ...errorResponses },
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
          const { requireTwoFactor, signInAvailability } = req.body;
          if (requireTwoFactor !== undefined || signInAvailability !== undefined)
            await tx
              .updateTable('accounts')
              .set({
                ...(requireTwoFactor === undefined ? {} : { require_two_factor: requireTwoFactor ? 1 : 0 }),
                ...(signInAvailability === undefined ? {} : { sign_in_availability: signInAvailability }),
              })
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
        return read(p.accountId);
      },
    );
  };
