import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation, type Tx } from '../../infra/db/database.ts';
import { DomainError, conflict, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/principal.ts';
import { conversationQuery, toConversationDtos } from '../conversations/conversation.dto.ts';
import { transact } from '../events/unit-of-work.ts';

const nameTaken = () => conflict('The account already has a team with this name');

async function findTeam(tx: Tx, accountId: string, teamId: string) {
  const team = await tx
    .selectFrom('teams')
    .selectAll()
    .where('id', '=', teamId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!team) throw notFound('Team');
  return team;
}

/** Member ids must be users of this account; anything else is a 400, never a silent cross-tenant link. */
async function checkMembers(tx: Tx, accountId: string, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return unique;
  const found = await tx
    .selectFrom('memberships')
    .select('user_id')
    .where('account_id', '=', accountId)
    .where('user_id', 'in', unique)
    .execute();
  const known = new Set(found.map((f) => f.user_id));
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length)
    throw new DomainError('validation_error', `userIds: not users of this account: ${unknown.join(', ')}`, {
      unknown,
    });
  return unique;
}

async function replaceMembers(tx: Tx, accountId: string, teamId: string, userIds: string[]) {
  await tx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (userIds.length)
    await tx
      .insertInto('team_members')
      .values(userIds.map((user_id) => ({ team_id: teamId, user_id, account_id: accountId })))
      .execute();
}

export async function createTeam(
  ctx: AppContext,
  p: Principal,
  input: { name: string; memberIds: string[] },
  ip: string,
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId(now);
  try {
    await ctx.db.kysely.transaction().execute(async (tx) => {
      const members = await checkMembers(tx, p.accountId, input.memberIds);
      await tx
        .insertInto('teams')
        .values({ id, account_id: p.accountId, name: input.name, created_at: now })
        .execute();
      await replaceMembers(tx, p.accountId, id, members);
      await audit(ctx, tx, p, {
        action: 'team.created',
        targetType: 'team',
        targetId: id,
        details: { name: input.name, memberIds: members },
        ip,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  return id;
}

export async function renameTeam(ctx: AppContext, p: Principal, teamId: string, name: string, ip: string) {
  try {
    await ctx.db.kysely.transaction().execute(async (tx) => {
      const team = await findTeam(tx, p.accountId, teamId);
      await tx.updateTable('teams').set({ name }).where('id', '=', team.id).execute();
      await audit(ctx, tx, p, {
        action: 'team.updated',
        targetType: 'team',
        targetId: team.id,
        details: { from: team.name, name },
        ip,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function setTeamMembers(
  ctx: AppContext,
  p: Principal,
  teamId: string,
  userIds: string[],
  ip: string,
) {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const team = await findTeam(tx, p.accountId, teamId);
    const members = await checkMembers(tx, p.accountId, userIds);
    await replaceMembers(tx, p.accountId, team.id, members);
    await audit(ctx, tx, p, {
      action: 'team.members_set',
      targetType: 'team',
      targetId: team.id,
      details: { memberIds: members },
      ip,
    });
  });
}

/**
 * Deletes a team. Its channels and conversations fall back to the whole account (team none), so
 * nothing becomes unreachable; consoles hear about every conversation that changed.
 */
export async function deleteTeam(ctx: AppContext, p: Principal, teamId: string, ip: string) {
  const now = ctx.clock.now();
  await transact(ctx, async (uow) => {
    const { tx } = uow;
    const team = await findTeam(tx, p.accountId, teamId);
    const convs = await tx
      .selectFrom('conversations')
      .select('id')
      .where('account_id', '=', p.accountId)
      .where('team_id', '=', team.id)
      .execute();
    const channels = await tx
      .updateTable('channels')
      .set({ team_id: null, updated_at: now })
      .where('account_id', '=', p.accountId)
      .where('team_id', '=', team.id)
      .executeTakeFirst();
    if (convs.length) {
      const ids = convs.map((c) => c.id);
      await tx
        .updateTable('conversations')
        .set({ team_id: null, updated_at: now })
        .where('id', 'in', ids)
        .execute();
      const dtos = await toConversationDtos(
        tx,
        await conversationQuery(tx).where('c.id', 'in', ids).execute(),
      );
      for (const dto of dtos) uow.emit(p.accountId, 'conversation.updated', dto, null);
    }
    await tx.deleteFrom('team_members').where('team_id', '=', team.id).execute();
    await tx.deleteFrom('teams').where('id', '=', team.id).execute();
    await audit(ctx, tx, p, {
      action: 'team.deleted',
      targetType: 'team',
      targetId: team.id,
      details: {
        name: team.name,
        channelsDetached: Number(channels.numUpdatedRows),
        conversationsDetached: convs.length,
      },
      ip,
    });
  });
}
