import type { AccountEvent } from '@switchboard/shared';
import { hasRole, type Principal } from '../auth/principal.ts';

/** Teams limit what an operator sees; supervisors and admins see the whole account. */
export function canSee(
  p: Principal,
  teamIds: ReadonlySet<string>,
  e: Pick<AccountEvent, 'accountId' | 'teamId'>,
): boolean {
  if (e.accountId !== p.accountId) return false;
  if (e.teamId === null || hasRole(p, 'supervisor')) return true;
  return teamIds.has(e.teamId);
}
