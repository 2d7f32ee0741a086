import type { ROLES, UserDto } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';

export type { UserDto };

export interface UserFilter {
  userId?: string;
  active?: boolean;
  role?: (typeof ROLES)[number];
}

/** Members of one account as DTOs, in the order they joined. */
export async function loadUserDtos(k: Tx, accountId: string, f: UserFilter = {}): Promise<UserDto[]> {
  const rows = await k
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.updated_at as user_updated_at',
      'm.role',
      'm.availability',
      'm.capacity',
      'm.active',
      'm.created_at',
      'm.updated_at',
    ])
    .where('m.account_id', '=', accountId)
    .$if(f.userId !== undefined, (q) => q.where('m.user_id', '=', f.userId!))
    .$if(f.active !== undefined, (q) => q.where('m.active', '=', f.active ? 1 : 0))
    .$if(f.role !== undefined, (q) => q.where('m.role', '=', f.role!))
    .orderBy('m.created_at')
    .orderBy('u.id')
    .execute();
  const ids = rows.map((r) => r.id);
  const teams = ids.length
    ? await k
        .selectFrom('team_members')
        .select(['user_id', 'team_id'])
        .where('account_id', '=', accountId)
        .where('user_id', 'in', ids)
        .orderBy('team_id')
        .execute()
    : [];
  const byUser = new Map<string, string[]>();
  for (const t of teams) byUser.set(t.user_id, [...(byUser.get(t.user_id) ?? []), t.team_id]);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as UserDto['role'],
    availability: r.availability as UserDto['availability'],
    capacity: r.capacity,
    active: r.active === 1,
    teamIds: byUser.get(r.id) ?? [],
    createdAt: r.created_at,
    updatedAt: Math.max(r.updated_at, r.user_updated_at),
  }));
}

export async function loadUserDto(k: Tx, accountId: string, userId: string): Promise<UserDto | undefined> {
  return (await loadUserDtos(k, accountId, { userId }))[0];
}
