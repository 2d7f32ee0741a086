import type { Availability, Role } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation, type Tx } from '../../infra/db/database.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { DomainError, conflict, notFound } from '../../lib/domain-error.ts';
import { addMembership } from '../accounts/account.service.ts';
import { audit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/password.ts';
import { assertPasswordPolicy } from '../auth/password-policy.ts';
import type { Principal } from '../auth/principal.ts';
import { revokeAllSessions } from '../auth/session.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { onAvailabilityChanged } from '../routing/routing.hooks.ts';
import { auditMemberChange } from './member-audit.ts';

export interface NewMember {
  email: string;
  name?: string;
  password?: string;
  role: Role;
  capacity: number;
  active: boolean;
}

export interface MemberPatch {
  name?: string;
  password?: string;
  role?: Role;
  capacity?: number;
  active?: boolean;
}

/**
 * Adds a user to the caller's account. Users belong to one account: the same e-mail in another account
 * is another user with its own password, so nothing here depends on (or tells) whether the e-mail
 * exists elsewhere. The password is the admin's choice, so it must be changed at first sign-in.
 */
export async function createMember(
  ctx: AppContext,
  p: Principal,
  input: NewMember,
  ip: string,
): Promise<{ userId: string }> {
  const k = ctx.db.kysely;
  const email = input.email.trim().toLowerCase();
  if (!input.password) throw new DomainError('validation_error', 'password: required');
  assertPasswordPolicy(input.password, email);
  // argon2 is slow on purpose: hash before the transaction so it does not hold locks meanwhile.
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return k.transaction().execute(async (tx) => {
    const userId = newId(now);
    try {
      await tx
        .insertInto('users')
        .values({
          id: userId,
          account_id: p.accountId,
          email,
          name: input.name?.trim() || email.split('@')[0]!,
          password_hash: passwordHash,
          password_change_required: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('This account already has a user with this e-mail');
      throw err;
    }
    await addMembership(tx, p.accountId, userId, input.role, now, input.capacity);
    if (!input.active)
      await tx
        .updateTable('memberships')
        .set({ active: 0 })
        .where('account_id', '=', p.accountId)
        .where('user_id', '=', userId)
        .execute();
    await audit(ctx, tx, p, {
      action: 'user.created',
      targetType: 'user',
      targetId: userId,
      details: { email, role: input.role, capacity: input.capacity, active: input.active },
      ip,
    });
    return { userId };
  });
}

/**
 * Refuses to leave the account without an active admin. On PostgreSQL the admin rows are locked,
 * so two admins demoting each other at the same moment cannot both succeed; SQLite runs one write
 * transaction at a time anyway.
 */
async function keepAnAdmin(ctx: AppContext, tx: Tx, accountId: string, userId: string): Promise<void> {
  const admins = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('account_id', '=', accountId)
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .execute();
  if (!admins.some((a) => a.user_id !== userId))
    throw conflict('This is the last active admin of the account; make someone else admin first');
}

/**
 * Admin change to a member of the caller's account (users belong to one account, so the admin may
 * always rename, reset or deactivate them); `active: false` also signs them out everywhere.
 */
export async function updateMember(
  ctx: AppContext,
  p: Principal,
  userId: string,
  patch: MemberPatch,
  ip: string,
  action = 'user.updated',
): Promise<void> {
  const k = ctx.db.kysely;
  const current = await k
    .selectFrom('memberships')
    .select(['role', 'active', 'availability', 'capacity'])
    .where('account_id', '=', p.accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!current) throw notFound('User');
  if (patch.password !== undefined) {
    const user = await k
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    assertPasswordPolicy(patch.password, user.email);
  }
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  const deactivating = patch.active === false && current.active === 1;
  const losesAdmin =
    current.role === 'admin' &&
    current.active === 1 &&
    (deactivating || (patch.role !== undefined && patch.role !== 'admin'));
  const now = ctx.clock.now();
  await transact(ctx, async (uow) => {
    if (losesAdmin) await keepAnAdmin(ctx, uow.tx, p.accountId, userId);
    const m: RowUpdate<'memberships'> = { updated_at: now };
    if (patch.role !== undefined) m.role = patch.role;
    if (patch.capacity !== undefined) m.capacity = patch.capacity;
    if (patch.active !== undefined) m.active = patch.active ? 1 : 0;
    if (deactivating) m.availability = 'offline';
    await uow.tx
      .updateTable('memberships')
      .set(m)
      .where('account_id', '=', p.accountId)
      .where('user_id', '=', userId)
      .execute();
    if (patch.name !== undefined || passwordHash !== undefined) {
      const u: RowUpdate<'users'> = { updated_at: now };
      if (patch.name !== undefined) u.name = patch.name;
      if (passwordHash !== undefined) {
        u.password_hash = passwordHash;
        // Set by an admin, so known to someone other than the person: it opens only the change screen.
        u.password_change_required = 1;
      }
      await uow.tx.updateTable('users').set(u).where('id', '=', userId).execute();
    }
    if (deactivating && current.availability !== 'offline')
      uow.emit(p.accountId, 'presence.updated', { userId, availability: 'offline' });
    // A deactivated operator's conversations are handed on like when they go offline; more capacity
    // lets the queue drain.
    if (deactivating) await onAvailabilityChanged(ctx, uow, p.accountId, userId, 'offline');
    else if (patch.capacity !== undefined && patch.capacity > current.capacity && current.active === 1) {
      await onAvailabilityChanged(ctx, uow, p.accountId, userId, current.availability as Availability);
    }
    await auditMemberChange(ctx, uow.tx, p, userId, current, patch, ip, action);
  });
  // After commit: the membership is already inactive, which every request checks, so a failure
  // here cannot leave a working session behind.
  if (deactivating) await revokeAllSessions(ctx, userId, p.accountId);
  if (passwordHash !== undefined && userId !== p.userId) await revokeAllSessions(ctx, userId, p.accountId);
}
