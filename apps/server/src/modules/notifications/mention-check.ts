import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';

export type MentionRefusal = 'not_a_member' | 'inactive' | 'cannot_see';

/**
 * Why each of these users could not read a note in this conversation, if any could not: a user of
 * another account (or none), a deactivated one, or an operator outside the conversation's team.
 * Supervisors and admins see the whole account, as conversation-access.ts has it.
 */
export async function mentionRefusals(
  tx: Tx,
  conv: Pick<Row<'conversations'>, 'account_id' | 'team_id'>,
  userIds: readonly string[],
): Promise<{ userId: string; reason: MentionRefusal }[]> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return [];
  const members = await tx
    .selectFrom('memberships')
    .select(['user_id', 'role', 'active'])
    .where('account_id', '=', conv.account_id)
    .where('user_id', 'in', ids)
    .execute();
  const inTeam = conv.team_id
    ? new Set(
        (
          await tx
            .selectFrom('team_members')
            .select('user_id')
            .where('team_id', '=', conv.team_id)
            .where('user_id', 'in', ids)
            .execute()
        ).map((r) => r.user_id),
      )
    : null;
  const byId = new Map(members.map((m) => [m.user_id, m]));
  const out: { userId: string; reason: MentionRefusal }[] = [];
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) out.push({ userId: id, reason: 'not_a_member' });
    else if (m.active !== 1) out.push({ userId: id, reason: 'inactive' });
    else if (inTeam && m.role === 'operator' && !inTeam.has(id))
      out.push({ userId: id, reason: 'cannot_see' });
  }
  return out;
}

/** Refuses a note that mentions someone who could not read it, naming each and why. */
export async function assertMentionable(
  tx: Tx,
  conv: Pick<Row<'conversations'>, 'account_id' | 'team_id'>,
  userIds: readonly string[],
): Promise<void> {
  const refused = await mentionRefusals(tx, conv, userIds);
  if (!refused.length) return;
  const why: Record<MentionRefusal, string> = {
    not_a_member: 'is not a user of this account',
    inactive: 'is deactivated',
    cannot_see: "is not in the conversation's team and cannot see it",
  };
  throw new DomainError(
    'mention_not_allowed',
    `mentions: ${refused.map((r) => `${r.userId} ${why[r.reason]}`).join('; ')}`,
    { users: refused },
  );
}
