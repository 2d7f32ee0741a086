import type { Role } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import type { MemberPatch } from './user.service.ts';

/**
 * Audits an admin's change to a member. A role change and an (de)activation each get their own entry,
 * with the role before and after, so the audit log can be filtered for them; the remaining fields
 * (name, capacity, password — never its value) go into one `action` entry (default `user.updated`).
 */
export async function auditMemberChange(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  userId: string,
  before: { role: string; active: number },
  patch: MemberPatch,
  ip: string,
  action = 'user.updated',
): Promise<void> {
  const target = { targetType: 'user', targetId: userId, ip };
  if (patch.role !== undefined && patch.role !== before.role) {
    await audit(ctx, tx, p, {
      action: 'user.role_changed',
      ...target,
      details: { from: before.role as Role, to: patch.role },
    });
  }
  if (patch.active !== undefined && patch.active !== (before.active === 1)) {
    await audit(ctx, tx, p, {
      action: patch.active ? 'user.activated' : 'user.deactivated',
      ...target,
      details: { role: patch.role ?? before.role },
    });
  }
  const { password, role: _role, active: _active, ...rest } = patch;
  const details: Record<string, unknown> = {
    ...rest,
    ...(password !== undefined ? { passwordChanged: true } : {}),
  };
  if (Object.keys(details).length > 0) await audit(ctx, tx, p, { action, ...target, details });
}
