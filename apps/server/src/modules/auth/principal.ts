import type { Role, TokenScope } from '@switchboard/shared';
import { AppError } from '../../http/errors.ts';

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
}

const RANK: Record<Role, number> = { operator: 1, supervisor: 2, admin: 3 };

export function hasRole(p: Principal, atLeast: Role): boolean {
  return RANK[p.role] >= RANK[atLeast];
}

export function requireRole(p: Principal, atLeast: Role): void {
  if (!hasRole(p, atLeast)) throw new AppError('forbidden', `This needs the ${atLeast} role or higher`);
}
