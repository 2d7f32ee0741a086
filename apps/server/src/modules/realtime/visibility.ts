import { type AccountEvent, isEvent, PERSONAL_EVENT_TYPES } from '@switchboard/shared';
import { hasRole, type Principal } from '../auth/principal.ts';

/**
 * Teams limit what an operator sees; supervisors and admins see the whole account. A personal event
 * (an operator's read marker) goes only to that operator.
 */
export function canSee(
  p: Principal,
  teamIds: ReadonlySet<string>,
  e: Pick<AccountEvent, 'accountId' | 'teamId'> & Partial<Pick<AccountEvent, 'type' | 'payload'>>,
): boolean {
  if (e.accountId !== p.accountId) return false;
  // Optional chaining stays: a caller may name the type without the payload, which then hides it.
  const ev = { type: e.type ?? '', payload: e.payload };
  if (isEvent(ev, ...PERSONAL_EVENT_TYPES) && ev.payload?.userId !== p.userId) return false;
  if (e.teamId === null || hasRole(p, 'supervisor')) return true;
  return teamIds.has(e.teamId);
}
