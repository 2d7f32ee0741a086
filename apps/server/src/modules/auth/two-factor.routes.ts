import {
  recoveryCodesResult,
  twoFactorConfirmBody,
  twoFactorDisableBody,
  twoFactorSetup,
  twoFactorStatus,
} from '@switchboard/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { AppError, conflict } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { audit } from '../audit/audit.service.ts';
import { verifyPassword } from './password.ts';
import { throttleSignIn } from './sign-in.service.ts';
import { enrolmentOf, newTotpSecret, totpStep } from './totp.ts';
import { acceptSecondFactor, clearTwoFactor, replaceRecoveryCodes } from './two-factor.service.ts';

/** Two-factor sign-in (TOTP, RFC 6238) for the signed-in user: enrol, confirm, disable. */
export const twoFactorRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const k = ctx.db.kysely;
    // Enrolling is what a session restricted by the account's "require two-factor" may do.
    const config = { allowRestricted: true };

    const userOf = (userId: string) =>
      k
        .selectFrom('users as u')
        .innerJoin('accounts as a', 'a.id', 'u.account_id')
        .select([
          'u.email',
          'u.password_hash',
          'u.totp_enabled_at',
          'u.totp_pending_enc',
          'a.name as account_name',
          'a.require_two_factor',
        ])
        .where('u.id', '=', userId)
        .executeTakeFirstOrThrow();

    app.get(
      '/me/2fa',
      {
        config,
        schema: {
          tags: ['auth'],
          summary: 'My two-factor sign-in: on or off, recovery codes left, whether the account requires it',
          response: { 200: twoFactorStatus, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const u = await userOf(p.userId);
        const left = await k
          .selectFrom('recovery_codes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', p.userId)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        return {
          enabled: u.totp_enabled_at !== null,
          enabledAt: u.totp_enabled_at,
          recoveryCodesLeft: Number(left.n),
          requiredByAccount: u.require_two_factor === 1,
        };
      },
    );

    app.post(
      '/me/2fa/setup',
      {
        config,
        schema: {
          tags: ['auth'],
          summary:
            'Start enrolling: a new secret as a QR code for the authenticator app (confirm with a code)',
          response: { 200: twoFactorSetup, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const u = await userOf(p.userId);
        if (u.totp_enabled_at !== null) throw conflict('Two-factor sign-in is already on; turn it off first');
        const secret = newTotpSecret();
        await k
          .updateTable('users')
          .set({ totp_pending_enc: ctx.secrets.seal(secret) })
          .where('id', '=', p.userId)
          .execute();
        const { otpauthUrl, qrDataUrl } = await enrolmentOf(
          secret,
          u.email,
          `Switchboard (${u.account_name})`,
        );
        return { secret, otpauthUrl, qrDataUrl };
      },
    );

    app.post(
      '/me/2fa/confirm',
      {
        config,
        schema: {
          tags: ['auth'],
          summary: 'Finish enrolling with a code from the app; answers the ten recovery codes (shown once)',
          body: twoFactorConfirmBody,
          response: { 200: recoveryCodesResult, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const u = await userOf(p.userId);
        if (u.totp_enabled_at !== null) throw conflict('Two-factor sign-in is already on');
        if (!u.totp_pending_enc) throw conflict('Start with POST /me/2fa/setup');
        const now = ctx.clock.now();
        const step = totpStep(ctx.secrets.open(u.totp_pending_enc), req.body.code, now);
        if (step === null)
          throw new AppError('invalid_code', 'Wrong code; check the time on your phone and try again');
        const codes = await k.transaction().execute(async (tx) => {
          await tx
            .updateTable('users')
            .set({
              totp_secret_enc: u.totp_pending_enc,
              totp_pending_enc: null,
              totp_enabled_at: now,
              totp_last_step: step,
              updated_at: now,
            })
            .where('id', '=', p.userId)
            .execute();
          const codes = await replaceRecoveryCodes(ctx, tx, p.userId);
          await audit(ctx, tx, p, {
            action: 'auth.two_factor_enabled',
            targetType: 'user',
            targetId: p.userId,
            ip: req.ip,
          });
          return codes;
        });
        return { recoveryCodes: codes };
      },
    );

    app.post(
      '/me/2fa/disable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor sign-in off, with my password and a current code (or a recovery code)',
          body: twoFactorDisableBody,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const u = await userOf(p.userId);
        if (u.totp_enabled_at === null) throw conflict('Two-factor sign-in is off');
        await throttleSignIn(ctx, req.ip, `user:${p.userId}`);
        if (!(await verifyPassword(u.password_hash, req.body.password)))
          throw new AppError('invalid_credentials', 'Wrong password');
        const code = req.body.code;
        const factor = await acceptSecondFactor(
          ctx,
          p.userId,
          /^\d{6}$/.test(code) ? { code } : { recoveryCode: code },
        );
        if (!factor) throw new AppError('invalid_code', 'Wrong or already used code');
        await k.transaction().execute(async (tx) => {
          await clearTwoFactor(ctx, tx, p.userId);
          await audit(ctx, tx, p, {
            action: 'auth.two_factor_disabled',
            targetType: 'user',
            targetId: p.userId,
            details: { by: 'self' },
            ip: req.ip,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
