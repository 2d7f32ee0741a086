import type { Role, TokenScope } from '@switchboard/shared';
import { DomainError } from '../../lib/domain-error.ts';

/** Who is calling: resolved from a session cookie or a Bearer API token, always within one account. */
export interface Principal {
  userId: string;
  accountId: string;
  role: Role;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
  /** API tokens only: a `read` token may only GET/HEAD (enforced in authenticate()). */
  scope?: TokenScope;
  /**
   * A session that may only finish signing in: its password was set by an admin (change it first) or
   * the account requires two-factor sign-in and this user has not enrolled yet.
   */
  restriction?: Restriction;
  /** A bot's API token: messages are written as this bot; only conversations on its channels are open to it. */
  bot?: { id: string; name: string; channelIds: string[] };
}

export type Restriction = 'password_change_required' | 'two_factor_enrollment_required';

const RESTRICTION_MESSAGES: Record<Restriction, string> = {
  password_change_required: 'Choose your own password first (POST /api/v1/me/password)',
  two_factor_enrollment_required:
    'This account requires two-factor sign-in: set it up first (/api/v1/me/2fa)',
};

/** Refuses a restricted session everywhere except the routes that let it finish signing in. */
export function assertUnrestricted(p: Principal): void {
  if (p.restriction) throw new DomainError(p.restriction, RESTRICTION_MESSAGES[p.restriction]);
}

const RANK: Record<Role, number> = { operator: 1, supervisor: 2, admin: 3 };

export function hasRole(p: Principal, atLeast: Role): boolean {
  return RANK[p.role] >= RANK[atLeast];
}

export function requireRole(p: Principal, atLeast: Role): void {
  if (!hasRole(p, atLeast)) throw new DomainError('forbidden', `This needs the ${atLeast} role or higher`);
}
