import type { AccountChoice } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';

export interface OpenedUser {
  userId: string;
  accountId: string;
  accountName: string;
  twoFactor: boolean;
}

const WRONG = 'Wrong e-mail or password';

/** The one answer for an unknown e-mail, a wrong password and a deactivated user. */
export function invalidCredentials(): DomainError {
  return new DomainError('invalid_credentials', WRONG);
}

/**
 * Counts the attempt against the caller's address (all e-mails) and its subject — `email:<address>` for
 * a sign-in (all addresses), `user:<id>` for a password check inside a session — with counters every
 * node shares; refuses with 429 over either limit, even for the right password.
 */
export async function throttleSignIn(ctx: AppContext, ip: string, subject?: string): Promise<void> {
  const t = ctx.loginThrottle;
  const [byIp, bySubject] = await Promise.all([
    t.hit(`ip:${ip}`),
    subject === undefined ? Promise.resolve(0) : t.hit(subject),
  ]);
  if (byIp > ctx.config.loginRateLimitPerIp || bySubject > ctx.config.loginRateLimit) {
    const retryAfter = Math.ceil(t.retryAfterMs() / 1000);
    throw new DomainError('rate_limited', `Too many sign-in attempts; try again in ${retryAfter} s`, {
      retryAfter,
    });
  }
}

/**
 * The users this e-mail and password open: one user per account, each with its own password. Every
 * user with the e-mail is checked (deactivated ones too, in parallel) and an unknown e-mail costs one
 * dummy check, so the answer and its timing do not tell whether the e-mail exists or is deactivated.
 * Failures are recorded in the audit log of each account that has the e-mail.
 */
export async function openAccounts(
  ctx: AppContext,
  email: string,
  password: string,
  ip: string,
  accountId?: string,
): Promise<OpenedUser[]> {
  const candidates = await ctx.db.kysely
    .selectFrom('users as u')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 'u.id').onRef('m.account_id', '=', 'u.account_id'),
    )
    .innerJoin('accounts as a', 'a.id', 'u.account_id')
    .select(['u.id', 'u.account_id', 'u.password_hash', 'u.totp_enabled_at', 'm.active', 'a.name'])
    .where('u.email', '=', email)
    .$if(accountId !== undefined, (q) => q.where('u.account_id', '=', accountId!))
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
  if (candidates.length === 0) {
    await verifyPassword(await dummyPasswordHash(), password);
    return [];
  }
  const ok = await Promise.all(candidates.map((c) => verifyPassword(c.password_hash, password)));
  const opened = candidates.filter((c, i) => ok[i] && c.active === 1);
  if (opened.length === 0) {
    for (const [i, c] of candidates.entries()) {
      await audit(
        ctx,
        ctx.db.kysely,
        { accountId: c.account_id, userId: c.id },
        {
          action: 'auth.sign_in_failed',
          targetType: 'user',
          targetId: c.id,
          details: { reason: ok[i] ? 'deactivated' : 'wrong_password' },
          ip,
        },
      );
    }
  }
  return opened.map((c) => ({
    userId: c.id,
    accountId: c.account_id,
    accountName: c.name,
    twoFactor: c.totp_enabled_at !== null,
  }));
}

export function accountChoiceRequired(opened: OpenedUser[]): DomainError {
  const accounts: AccountChoice[] = opened.map((o) => ({ id: o.accountId, name: o.accountName }));
  return new DomainError(
    'account_choice_required',
    'This e-mail and password open several accounts; choose one',
    { accounts },
  );
}
