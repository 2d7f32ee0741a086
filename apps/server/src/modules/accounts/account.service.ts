import type { Role } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { hashPassword } from '../auth/password.ts';

export interface CreatedAdmin {
  accountId: string;
  userId: string;
}

/**
 * `create-admin`: a new account (tenant) with its first admin. Users belong to one account, so the
 * admin is always a new user, even when the e-mail already signs in to another account: the two
 * passwords stay separate. The caller (the CLI) applies the password policy.
 * Running it twice with the same e-mail and account name is almost always a mistake (the second
 * account is unreachable from the console by name), so it is refused unless `addAccount` says so.
 */
export async function createAccountWithAdmin(
  ctx: AppContext,
  input: { accountName: string; email: string; password: string; name?: string; addAccount?: boolean },
): Promise<CreatedAdmin> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new DomainError('validation_error', `Not an e-mail address: ${input.email}`);
  if (input.password.length < 8)
    throw new DomainError('validation_error', 'The password needs at least 8 characters');
  if (!input.accountName.trim()) throw new DomainError('validation_error', 'The account needs a name');
  if (!input.addAccount) {
    const same = await ctx.db.kysely
      .selectFrom('users')
      .innerJoin('accounts', 'accounts.id', 'users.account_id')
      .select('accounts.id')
      .where('users.email', '=', email)
      .where('accounts.name', '=', input.accountName.trim())
      .executeTakeFirst();
    if (same)
      throw new DomainError(
        'conflict',
        `${email} already administers an account named "${input.accountName.trim()}" (${same.id}); ` +
          'pass --add-account to create another account with the same name',
      );
  }
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const accountId = newId(now);
    await tx
      .insertInto('accounts')
      .values({ id: accountId, name: input.accountName.trim(), event_seq: 0, created_at: now })
      .execute();
    const userId = newId(now);
    await tx
      .insertInto('users')
      .values({
        id: userId,
        account_id: accountId,
        email,
        name: input.name?.trim() || email.split('@')[0]!,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addMembership(tx, accountId, userId, 'admin', now);
    return { accountId, userId };
  });
}

export async function addMembership(
  tx: AppContext['db']['kysely'],
  accountId: string,
  userId: string,
  role: Role,
  now: number,
  capacity = 10,
): Promise<void> {
  try {
    await tx
      .insertInto('memberships')
      .values({
        account_id: accountId,
        user_id: userId,
        role,
        availability: 'offline',
        capacity,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new DomainError('conflict', 'This user is already a member of the account');
    throw err;
  }
}
