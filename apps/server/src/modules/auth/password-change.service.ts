import { randomInt } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { revokeAllSessions } from './session.service.ts';

/** A one-time link lives one day: long enough to reach a colleague, short enough to be useless later. */
const LINK_TTL_MS = 24 * 3_600_000;

/** The person's own choice (knowing the current one): clears the forced change; other sessions end. */
export async function changeOwnPassword(
  ctx: AppContext,
  who: { userId: string; accountId: string; sessionId?: string },
  currentPassword: string,
  newPassword: string,
  ip: string,
): Promise<void> {
  const k = ctx.db.kysely;
  const user = await k
    .selectFrom('users')
    .select(['email', 'password_hash'])
    .where('id', '=', who.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword)))
    throw new DomainError('invalid_credentials', 'The current password is wrong');
  assertPasswordPolicy(newPassword, user.email);
  if (newPassword === currentPassword)
    throw new DomainError('weak_password', 'Choose a password different from the current one', {
      problem: 'reused',
    });
  await setOwnPassword(ctx, who.userId, who.accountId, newPassword, ip, 'self');
  await revokeAllSessions(ctx, who.userId, who.accountId, who.sessionId);
}

async function setOwnPassword(
  ctx: AppContext,
  userId: string,
  accountId: string,
  password: string,
  ip: string,
  via: 'self' | 'link',
): Promise<void> {
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_change_required: 0, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await audit(
      ctx,
      tx,
      { accountId, userId },
      { action: 'auth.password_changed', targetType: 'user', targetId: userId, details: { via }, ip },
    );
  });
}

/** Letters and digits without look-alikes, in groups of four: easy to read out, ~80 bits. */
function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  let s = '';
  for (let i = 0; i < 16; i++) s += alphabet[randomInt(alphabet.length)];
  return s.match(/.{4}/g)!.join('-');
}

/**
 * An admin resets a member's access: the old password stops working and every session ends. Either a
 * temporary password (shown to the admin once; it opens only the change screen) or a one-time link
 * where the member chooses their own.
 */
export async function resetAccess(
  ctx: AppContext,
  admin: { userId: string; accountId: string },
  userId: string,
  mode: 'temporary_password' | 'link',
  ip: string,
): Promise<{ temporaryPassword: string | null; linkToken: string | null; expiresAt: number | null }> {
  const now = ctx.clock.now();
  const temp = mode === 'temporary_password' ? temporaryPassword() : null;
  // With a link the old password must stop working too: replace it with one nobody knows.
  const hash = await hashPassword(temp ?? randomToken(32));
  const linkToken = mode === 'link' ? randomToken(32) : null;
  const expiresAt = linkToken ? now + LINK_TTL_MS : null;
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_change_required: 1, updated_at: now })
      .where('id', '=', userId)
      .where('account_id', '=', admin.accountId)
      .execute();
    await tx
      .updateTable('access_links')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
    if (linkToken)
      await tx
        .insertInto('access_links')
        .values({
          id: newId(now),
          token_hash: hashToken(linkToken),
          user_id: userId,
          account_id: admin.accountId,
          created_by: admin.userId,
          expires_at: expiresAt!,
          used_at: null,
          created_at: now,
        })
        .execute();
    await audit(ctx, tx, admin, {
      action: 'user.access_reset',
      targetType: 'user',
      targetId: userId,
      details: { mode },
      ip,
    });
  });
  await revokeAllSessions(ctx, userId, admin.accountId);
  return { temporaryPassword: temp, linkToken, expiresAt };
}

/** The member opens the admin's one-time link and chooses a password (then signs in with it as usual). */
export async function useAccessLink(
  ctx: AppContext,
  token: string,
  newPassword: string,
  ip: string,
): Promise<void> {
  const k = ctx.db.kysely;
  const now = ctx.clock.now();
  const link = await k
    .selectFrom('access_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['l.id', 'l.user_id', 'l.account_id', 'u.email'])
    .where('l.token_hash', '=', hashToken(token))
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', now)
    .executeTakeFirst();
  if (!link)
    throw new DomainError('invalid_code', 'This link has expired or was used; ask your admin for a new one');
  assertPasswordPolicy(newPassword, link.email);
  const used = await k
    .updateTable('access_links')
    .set({ used_at: now })
    .where('id', '=', link.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw new DomainError('invalid_code', 'This link was used just now');
  await setOwnPassword(ctx, link.user_id, link.account_id, newPassword, ip, 'link');
  await revokeAllSessions(ctx, link.user_id, link.account_id);
}
