import type { Availability, Me, ROLES } from '@switchboard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { onAvailabilityChanged } from '../routing/routing.hooks.ts';
import { sessionCookieOptions } from './session-cookie.ts';
import { SESSION_COOKIE, createSession } from './session.service.ts';

/** The signed-in user, account, role and CSRF token (GET /me and every sign-in's answer). */
export async function loadMe(
  ctx: AppContext,
  userId: string,
  accountId: string,
  csrfToken: string | null,
): Promise<Me> {
  const k = ctx.db.kysely;
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
      'u.password_change_required',
      'u.totp_enabled_at',
      'a.require_two_factor',
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
    availability: row.availability as Availability,
    capacity: row.capacity,
    teamIds: teams.map((t) => t.team_id),
    csrfToken,
    passwordChangeRequired: row.password_change_required === 1,
    twoFactorEnrollmentRequired: row.require_two_factor === 1 && row.totp_enabled_at === null,
  };
}

/**
 * Sets the presence the account chose for sign-ins (`accounts.sign_in_availability`), the way PATCH /me
 * does: the event open consoles and the center's state follow, and the routing hook (a newly online
 * operator drains the queue).
 */
export async function applySignInPresence(ctx: AppContext, userId: string, accountId: string): Promise<void> {
  await transact(ctx, async (uow) => {
    const row = await uow.tx
      .selectFrom('memberships as m')
      .innerJoin('accounts as a', 'a.id', 'm.account_id')
      .select(['m.availability', 'a.sign_in_availability'])
      .where('m.user_id', '=', userId)
      .where('m.account_id', '=', accountId)
      .executeTakeFirst();
    if (!row || row.sign_in_availability === 'unchanged' || row.sign_in_availability === row.availability)
      return;
    const availability = row.sign_in_availability as Availability;
    await uow.tx
      .updateTable('memberships')
      .set({ availability, updated_at: ctx.clock.now() })
      .where('user_id', '=', userId)
      .where('account_id', '=', accountId)
      .execute();
    uow.emit(accountId, 'presence.updated', { userId, availability });
    await onAvailabilityChanged(ctx, uow, accountId, userId, availability);
  });
}

/** Opens a session (cookie), records the sign-in, and answers with the signed-in user. */
export async function startSession(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  s: { userId: string; accountId: string; via: string; proven: string | null; startPresence?: boolean },
): Promise<Me> {
  const session = await createSession(ctx, s.userId, s.accountId, {
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    proven: s.proven,
  });
  await audit(
    ctx,
    ctx.db.kysely,
    { accountId: s.accountId, userId: s.userId },
    {
      action: 'auth.signed_in',
      targetType: 'user',
      targetId: s.userId,
      details: { via: s.via },
      ip: req.ip,
    },
  );
  if (s.startPresence) await applySignInPresence(ctx, s.userId, s.accountId);
  reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(ctx, req, session.expiresAt));
  return loadMe(ctx, s.userId, s.accountId, session.csrfToken);
}
