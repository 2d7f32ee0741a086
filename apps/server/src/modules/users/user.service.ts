import type { Availability, Role } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation, type Tx } from '../../infra/db/database.ts';
import type { RowUpdate } from '../../infra/db/schema.ts';
import { AppError, conflict, notFound } from '../../http/errors.ts';
import { addMembership } from '../accounts/account.service.ts';
import { audit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/password.ts';
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
 * Adds a user to the caller's account. An e-mail that already has a user (of this or another
 * account) reuses that user: their name and password stay theirs, so one tenant's admin can never
 * set the password another tenant's user signs in with.
 */
export async function createMember(
  ctx: AppContext,
  p: Principal,
  input: NewMember,
  ip: string,
): Promise<{ userId: string; existingUser: boolean }> {
  const k = ctx.db.kysely;
  const email = input.email.trim().toLowerCase();
  const existing = await k.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!existing && !input.password)
    throw new AppError('validation_error', 'password: required for a new user (at least 8 characters)');
  // argon2 is slow on purpose: hash before the transaction so it does not hold locks meanwhile.
  const passwordHash = existing ? undefined : await hashPassword(input.password!);
  const now = ctx.clock.now();
  return k.transaction().execute(async (tx) => {
    let userId = existing?.id;
    if (!userId) {
      userId = newId(now);
      try {
        await tx
          .insertInto('users')
          .values({
            id: userId,
            email,
            name: input.name?.trim() || email.split('@')[0]!,
            password_hash: passwordHash!,
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('A user with this e-mail was created just now; retry');
        throw err;
      }
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
      details: {
        email,
        role: input.role,
        capacity: input.capacity,
        active: input.active,
        existingUser: !!existing,
      },
      ip,
    });
    return { userId, existingUser: !!existing };
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

/** Admin change to a member; `active: false` also signs them out everywhere in this account. */
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
  if ((patch.name !== undefined || patch.password !== undefined) && userId !== p.userId) {
    const elsewhere = await k
      .selectFrom('memberships')
      .select('account_id')
      .where('user_id', '=', userId)
      .where('account_id', '!=', p.accountId)
      .executeTakeFirst();
    // Name and password belong to the person, not the membership: another tenant's admin must not take them over.
    if (elsewhere)
      throw conflict(
        'This user also belongs to another account; only they can change their name or password',
      );
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
      if (passwordHash !== undefined) u.password_hash = passwordHash;
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
