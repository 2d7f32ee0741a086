import type { Role } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import type { Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { botOfToken } from '../bots/bot-principal.ts';
import type { Principal, Restriction } from './principal.ts';

export const SESSION_COOKIE = 'sb_session';
export const API_TOKEN_PREFIX = 'sbt_';

export async function createSession(
  ctx: AppContext,
  userId: string,
  accountId: string,
  meta: { ip?: string; userAgent?: string; proven?: string | null },
): Promise<{ token: string; csrfToken: string; expiresAt: number; id: string }> {
  const now = ctx.clock.now();
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const id = newId(now);
  const expiresAt = now + ctx.config.sessionTtlMs;
  await ctx.db.kysely
    .insertInto('sessions')
    .values({
      id,
      token_hash: hashToken(token),
      user_id: userId,
      account_id: accountId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      last_seen_at: now,
      proven_accounts: meta.proven ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt, id };
}

export async function revokeSession(
  ctx: AppContext,
  sessionId: string,
  userId: string,
  db: Tx = ctx.db.kysely,
): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: ctx.clock.now() })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Signs the user out everywhere (but the session `keep`, when given: the one changing its own password). */
export async function revokeAllSessions(
  ctx: AppContext,
  userId: string,
  accountId: string,
  keep?: string,
): Promise<void> {
  await ctx.db.kysely
    .updateTable('sessions')
    .set({ revoked_at: ctx.clock.now() })
    .where('user_id', '=', userId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .$if(keep !== undefined, (q) => q.where('id', '!=', keep!))
    .execute();
}

async function activeRole(ctx: AppContext, userId: string, accountId: string): Promise<Role | undefined> {
  const m = await ctx.db.kysely
    .selectFrom('memberships')
    .select(['role', 'active'])
    .where('user_id', '=', userId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return m && m.active === 1 ? (m.role as Role) : undefined;
}

/** Writing last_seen_at on every request would turn each read into a write; once a minute is enough. */
export const TOUCH_INTERVAL_MS = 60_000;

/** When a session was last used: `last_seen_at`, or its creation for rows older than the column. */
export const lastSeen = (s: { last_seen_at: number | null; created_at: number }): number =>
  s.last_seen_at ?? s.created_at;

/**
 * Session cookie → principal. Throws 401 for unknown, revoked, expired or idle sessions and deactivated
 * users. An idle session (unused for SESSION_IDLE_MINUTES) is deleted. `touch: false` checks without
 * counting as activity (a socket re-checking its credential is not the operator doing anything).
 */
export async function principalFromSession(
  ctx: AppContext,
  token: string,
  opts: { touch?: boolean } = {},
): Promise<Principal> {
  const s = await ctx.db.kysely
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!s || s.revoked_at !== null) throw new DomainError('unauthorized', 'Not signed in');
  const now = ctx.clock.now();
  if (s.expires_at <= now)
    throw new DomainError('session_expired', 'Your session has expired; sign in again');
  if (now - lastSeen(s) > ctx.config.sessionIdleMs) {
    await ctx.db.kysely.deleteFrom('sessions').where('id', '=', s.id).execute();
    throw new DomainError(
      'session_expired',
      'You were signed out after a period without activity; sign in again',
    );
  }
  const m = await ctx.db.kysely
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['m.role', 'm.active', 'u.password_change_required', 'u.totp_enabled_at', 'a.require_two_factor'])
    .where('m.user_id', '=', s.user_id)
    .where('m.account_id', '=', s.account_id)
    .executeTakeFirst();
  if (m?.active !== 1) throw new DomainError('unauthorized', 'This user is deactivated');
  if (opts.touch !== false && now - lastSeen(s) >= TOUCH_INTERVAL_MS) {
    await ctx.db.kysely.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', s.id).execute();
  }
  const restriction: Restriction | undefined =
    m.password_change_required === 1
      ? 'password_change_required'
      : m.require_two_factor === 1 && m.totp_enabled_at === null
        ? 'two_factor_enrollment_required'
        : undefined;
  return {
    userId: s.user_id,
    accountId: s.account_id,
    role: m.role as Role,
    via: 'session',
    sessionId: s.id,
    csrfToken: s.csrf_token,
    ...(restriction ? { restriction } : {}),
  };
}

/** Bearer API token → principal with the role of the user who created it (checked on every call). */
export async function principalFromApiToken(ctx: AppContext, token: string): Promise<Principal> {
  const t = await ctx.db.kysely
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!t || t.revoked_at !== null) throw new DomainError('unauthorized', 'Invalid or revoked API token');
  const now = ctx.clock.now();
  if (t.expires_at !== null && t.expires_at <= now)
    throw new DomainError('token_expired', 'This API token has expired; create a new one');
  const role = await activeRole(ctx, t.user_id, t.account_id);
  if (!role) throw new DomainError('unauthorized', 'The user who created this token is deactivated');
  // Touch at most once a minute: a busy integration must not turn every read into a write.
  if (t.last_used_at === null || now - t.last_used_at > TOUCH_INTERVAL_MS) {
    await ctx.db.kysely.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', t.id).execute();
  }
  const bot = t.bot_id ? await botOfToken(ctx, t.bot_id, t.account_id) : undefined;
  return {
    userId: t.user_id,
    accountId: t.account_id,
    // A bot acts with an operator's rights whoever created it (an admin, usually).
    role: bot ? 'operator' : role,
    via: 'token',
    scope: t.scope === 'read' ? 'read' : 'write',
    ...(bot ? { bot } : {}),
  };
}
