import type { Role } from '@switchboard/shared';
import type { TestApp } from '../../../test/test-app.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import { addMembership } from '../accounts/account.service.ts';
import { createSession } from '../auth/session.service.ts';

/**
 * Users, teams and API tokens written straight to the database for the socket suites (who may see what
 * is the subject, not how they were created); `t` answers the current test's app.
 */
export function socketSeeds(t: () => TestApp) {
  async function addUser(role: Role, teamIds: string[] = [], accountId = t().admin.accountId) {
    const now = t().ctx.clock.now();
    const userId = newId(now);
    await t()
      .ctx.db.kysely.insertInto('users')
      .values({
        id: userId,
        account_id: accountId,
        email: `${role}-${randomToken(4)}@example.com`,
        name: role,
        password_hash: 'not-used',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addMembership(t().ctx.db.kysely, accountId, userId, role, now);
    for (const teamId of teamIds) {
      await t()
        .ctx.db.kysely.insertInto('team_members')
        .values({ team_id: teamId, user_id: userId, account_id: accountId })
        .execute();
    }
    const session = await createSession(t().ctx, userId, accountId, {});
    return { userId, token: session.token };
  }

  async function addTeam(name: string) {
    const id = newId(t().ctx.clock.now());
    await t()
      .ctx.db.kysely.insertInto('teams')
      .values({ id, account_id: t().admin.accountId, name, created_at: t().ctx.clock.now() })
      .execute();
    return id;
  }

  async function addApiToken(userId: string) {
    const token = `sbt_${randomToken(24)}`;
    await t()
      .ctx.db.kysely.insertInto('api_tokens')
      .values({
        id: newId(t().ctx.clock.now()),
        account_id: t().admin.accountId,
        user_id: userId,
        name: 'socket test',
        token_hash: hashToken(token),
        prefix: token.slice(0, 8),
        created_at: t().ctx.clock.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return token;
  }

  return { addUser, addTeam, addApiToken };
}
