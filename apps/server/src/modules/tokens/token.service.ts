import type { TokenScope } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { API_TOKEN_PREFIX } from '../auth/session.service.ts';
import { hasRole, type Principal } from '../auth/principal.ts';

/** How much of a token the list shows: enough to recognise it, far too little to guess the rest. */
export const VISIBLE_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;

export interface TokenView {
  row: Row<'api_tokens'>;
  userName: string;
}

export interface NewApiToken {
  name: string;
  scope: TokenScope;
  /** Epoch ms, or null for a token that never expires. */
  expiresAt: number | null;
}

/** Creates a token for the caller; the plain value exists only in this return value. */
export async function createApiToken(
  ctx: AppContext,
  p: Principal,
  input: NewApiToken,
  ip: string,
): Promise<{ row: Row<'api_tokens'>; token: string }> {
  const now = ctx.clock.now();
  const { name, scope, expiresAt } = input;
  if (expiresAt !== null && expiresAt <= now)
    throw new DomainError('validation_error', 'expiresAt: must be in the future');
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const row: Row<'api_tokens'> = {
    id: newId(now),
    account_id: p.accountId,
    user_id: p.userId,
    name,
    token_hash: hashToken(token),
    prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
    expires_at: expiresAt,
    scope,
    bot_id: null,
  };
  await ctx.db.kysely.transaction().execute(async (tx) => {
    await tx.insertInto('api_tokens').values(row).execute();
    await audit(ctx, tx, p, {
      action: 'token.created',
      targetType: 'api_token',
      targetId: row.id,
      details: { name, prefix: row.prefix, scope, expiresAt },
      ip,
    });
  });
  return { row, token };
}

/** Live tokens: admins see every token of the account, everyone else only their own. */
export async function listApiTokens(ctx: AppContext, p: Principal): Promise<TokenView[]> {
  const rows = await ctx.db.kysely
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select('u.name as user_name')
    .where('t.account_id', '=', p.accountId)
    .where('t.revoked_at', 'is', null)
    // A bot's token is shown (once) and revoked with its bot.
    .where('t.bot_id', 'is', null)
    .$if(!hasRole(p, 'admin'), (q) => q.where('t.user_id', '=', p.userId))
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map(({ user_name, ...row }) => ({ row, userName: user_name }));
}

/** Revokes at once (every request re-reads the token). Someone else's token is a 404 for non-admins. */
export async function revokeApiToken(ctx: AppContext, p: Principal, id: string, ip: string): Promise<void> {
  const revoked = await ctx.db.kysely.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .where('revoked_at', 'is', null)
      .$if(!hasRole(p, 'admin'), (q) => q.where('user_id', '=', p.userId))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await audit(ctx, tx, p, { action: 'token.revoked', targetType: 'api_token', targetId: id, ip });
    return true;
  });
  if (!revoked) throw notFound('API token');
}
