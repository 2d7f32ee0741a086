import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import { DomainError } from '../../lib/domain-error.ts';

/** Time to type the code after the password. */
const TTL_MS = 5 * 60_000;
/** Wrong codes one pending login may try before the password must be typed again. */
const MAX_ATTEMPTS = 5;

/** The password was right and a second factor is due: a short-lived token that is not a session. */
export async function createChallenge(
  ctx: AppContext,
  userId: string,
  accountId: string,
  proven: string | null = null,
): Promise<{ pendingToken: string; expiresAt: number }> {
  const now = ctx.clock.now();
  const pendingToken = randomToken(32);
  const expiresAt = now + TTL_MS;
  await ctx.db.kysely
    .insertInto('login_challenges')
    .values({
      id: newId(now),
      token_hash: hashToken(pendingToken),
      user_id: userId,
      account_id: accountId,
      expires_at: expiresAt,
      used_at: null,
      created_at: now,
      proven_accounts: proven,
    })
    .execute();
  return { pendingToken, expiresAt };
}

export interface Challenge {
  id: string;
  userId: string;
  accountId: string;
  /** The accounts the password opened (JSON), handed on to the session. */
  proven: string | null;
}

const expired = () =>
  new DomainError('invalid_credentials', 'This sign-in has expired; enter your e-mail and password again');

/** The live challenge for a token, counting this attempt; throws when it expired, was used or tried too often. */
export async function openChallenge(ctx: AppContext, pendingToken: string): Promise<Challenge> {
  const now = ctx.clock.now();
  const k = ctx.db.kysely;
  const row = await k
    .selectFrom('login_challenges')
    .select(['id', 'user_id', 'account_id', 'proven_accounts'])
    .where('token_hash', '=', hashToken(pendingToken))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) throw expired();
  // Counted before the code is checked (a conditional update), so parallel guesses cannot exceed the limit.
  const counted = await k
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('attempts', '<', MAX_ATTEMPTS)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(counted.numUpdatedRows) !== 1) throw expired();
  return { id: row.id, userId: row.user_id, accountId: row.account_id, proven: row.proven_accounts };
}

/** Marks the challenge used; false when another request used it first. */
export async function finishChallenge(ctx: AppContext, id: string): Promise<boolean> {
  const r = await ctx.db.kysely
    .updateTable('login_challenges')
    .set({ used_at: ctx.clock.now() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
