import type { TeamDto } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';

export type { TeamDto };

/** Teams of one account with their member ids, by name. */
export async function loadTeamDtos(k: Tx, accountId: string, teamId?: string): Promise<TeamDto[]> {
  const rows = await k
    .selectFrom('teams')
    .selectAll()
    .where('account_id', '=', accountId)
    .$if(teamId !== undefined, (q) => q.where('id', '=', teamId!))
    .orderBy('name')
    .orderBy('id')
    .execute();
  const ids = rows.map((r) => r.id);
  const members = ids.length
    ? await k
        .selectFrom('team_members')
        .select(['team_id', 'user_id'])
        .where('account_id', '=', accountId)
        .where('team_id', 'in', ids)
        .orderBy('user_id')
        .execute()
    : [];
  const byTeam = new Map<string, string[]>();
  for (const m of members) byTeam.set(m.team_id, [...(byTeam.get(m.team_id) ?? []), m.user_id]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    memberIds: byTeam.get(r.id) ?? [],
    createdAt: r.created_at,
  }));
}
