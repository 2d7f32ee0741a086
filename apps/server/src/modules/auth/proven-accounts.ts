import type { MyAccount } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import type { OpenedUser } from './sign-in.service.ts';

/**
 * The accounts one sign-in's password opened (users are per account, so the same person is one user in
 * each). The console's switcher offers exactly these: listing every account that has the e-mail would
 * tell a member of one account where else that address is known, and switching into an account whose
 * user has a different password would let one password open another's account. Each entry keeps a
 * fingerprint of the user's password hash at sign-in, so a password changed or reset there since
 * (by its admin, a link, the person) drops the account until the person signs in there again.
 */
export const provenAccountSchema = z.object({ accountId: z.string(), userId: z.string(), pw: z.string() });
export type ProvenAccount = z.infer<typeof provenAccountSchema>;

const fingerprint = (passwordHash: string) => hashToken(`proven:${passwordHash}`).slice(0, 32);

export async function provenAccountsOf(ctx: AppContext, opened: OpenedUser[]): Promise<string> {
  const rows = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'account_id', 'password_hash'])
    .where(
      'id',
      'in',
      opened.map((o) => o.userId),
    )
    .execute();
  const list: ProvenAccount[] = rows.map((r) => ({
    accountId: r.account_id,
    userId: r.id,
    pw: fingerprint(r.password_hash),
  }));
  return JSON.stringify(list);
}

export function parseProven(json: string | null): ProvenAccount[] {
  if (!json) return [];
  const parsed = z.array(provenAccountSchema).safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

export interface SwitchTarget extends MyAccount {
  userId: string;
}

/**
 * The proven accounts still open to this session: the user there still has the signed-in user's e-mail,
 * the password of the sign-in and an active membership. The current account is always in the list.
 */
export async function switchableAccounts(
  ctx: AppContext,
  current: { userId: string; accountId: string; sessionId?: string },
): Promise<SwitchTarget[]> {
  const k = ctx.db.kysely;
  const session = current.sessionId
    ? await k
        .selectFrom('sessions')
        .select('proven_accounts')
        .where('id', '=', current.sessionId)
        .executeTakeFirst()
    : undefined;
  const proven = parseProven(session?.proven_accounts ?? null);
  const me = await k
    .selectFrom('users')
    .select('email')
    .where('id', '=', current.userId)
    .executeTakeFirstOrThrow();
  const ids = [current.userId, ...proven.map((p) => p.userId)];
  const rows = await k
    .selectFrom('users as u')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 'u.id').onRef('m.account_id', '=', 'u.account_id'),
    )
    .innerJoin('accounts as a', 'a.id', 'u.account_id')
    .select(['u.id', 'u.account_id', 'u.email', 'u.password_hash', 'u.totp_enabled_at', 'm.active', 'a.name'])
    .where('u.id', 'in', ids)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
  return rows
    .filter((r) => {
      if (r.id === current.userId) return true;
      const p = proven.find((x) => x.userId === r.id);
      return (
        p !== undefined &&
        p.accountId === r.account_id &&
        r.email === me.email &&
        r.active === 1 &&
        p.pw === fingerprint(r.password_hash)
      );
    })
    .map((r) => ({
      id: r.account_id,
      name: r.name,
      current: r.id === current.userId,
      twoFactor: r.totp_enabled_at !== null,
      userId: r.id,
    }));
}
