import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import { newRecoveryCode, recoveryCodeHash, totpStep } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

/**
 * Checks a 6-digit code against the user's confirmed secret and accepts each 30-second step once
 * (a conditional update, so two requests with the same code cannot both pass).
 */
export async function acceptTotp(ctx: AppContext, userId: string, code: string): Promise<boolean> {
  const u = await ctx.db.kysely
    .selectFrom('users')
    .select(['totp_secret_enc'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u?.totp_secret_enc) return false;
  const step = totpStep(ctx.secrets.open(u.totp_secret_enc), code, ctx.clock.now());
  if (step === null) return false;
  const r = await ctx.db.kysely
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Uses up one recovery code; false when it is wrong or was used before. */
export async function useRecoveryCode(ctx: AppContext, userId: string, code: string): Promise<boolean> {
  const r = await ctx.db.kysely
    .updateTable('recovery_codes')
    .set({ used_at: ctx.clock.now() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', recoveryCodeHash(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Replaces the user's recovery codes with ten new ones; returns them (the only time they are seen). */
export async function replaceRecoveryCodes(ctx: AppContext, tx: Tx, userId: string): Promise<string[]> {
  const now = ctx.clock.now();
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx
    .insertInto('recovery_codes')
    .values(
      codes.map((c) => ({
        id: newId(now),
        user_id: userId,
        code_hash: recoveryCodeHash(c),
        used_at: null,
        created_at: now,
      })),
    )
    .execute();
  return codes;
}

export async function clearTwoFactor(ctx: AppContext, tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({
      totp_secret_enc: null,
      totp_pending_enc: null,
      totp_enabled_at: null,
      totp_last_step: null,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** A current code or an unused recovery code (told apart by their shape). */
export async function acceptSecondFactor(
  ctx: AppContext,
  userId: string,
  input: { code?: string; recoveryCode?: string },
): Promise<'totp' | 'recovery' | null> {
  if (input.code !== undefined) return (await acceptTotp(ctx, userId, input.code)) ? 'totp' : null;
  if (input.recoveryCode !== undefined)
    return (await useRecoveryCode(ctx, userId, input.recoveryCode)) ? 'recovery' : null;
  return null;
}
