import type { SavedView, ViewCreate, ViewFilters, ViewPatch } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { forbidden, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { hasRole, type Principal } from '../auth/principal.ts';
import { teamsOf } from '../templates/template.service.ts';
import { requireAccountTeam } from '../teams/account-team.ts';

export function toViewDto(r: Row<'saved_views'>): SavedView {
  return {
    id: r.id,
    name: r.name,
    filters: JSON.parse(r.filters) as ViewFilters,
    ownerId: r.owner_id,
    sharedWithTeamId: r.shared_team_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Views this principal sees: their own and those shared with their teams. Admins also see every shared
 * view, since sharing is theirs to manage; nobody sees another user's personal views.
 */
export async function visibleViews(k: Tx, p: Principal) {
  const teams = await teamsOf(k, p);
  return k
    .selectFrom('saved_views')
    .selectAll()
    .where('account_id', '=', p.accountId)
    .where((eb) =>
      eb.or([
        eb('owner_id', '=', p.userId),
        ...(hasRole(p, 'admin')
          ? [eb('shared_team_id', 'is not', null)]
          : teams.length
            ? [eb('shared_team_id', 'in', teams)]
            : []),
      ]),
    );
}

export async function listViews(k: Tx, p: Principal): Promise<SavedView[]> {
  const rows = await (await visibleViews(k, p)).orderBy('name').orderBy('id').execute();
  // Own views first: the sidebar lists "my views" above the team's.
  const own = rows.filter((r) => r.owner_id === p.userId);
  return [...own, ...rows.filter((r) => r.owner_id !== p.userId)].map(toViewDto);
}

async function loadVisibleView(k: Tx, p: Principal, id: string): Promise<Row<'saved_views'>> {
  const row = await (await visibleViews(k, p)).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('View');
  return row;
}

/** A team member sees a shared view but changes it only as its owner or an admin. */
function assertCanWrite(p: Principal, row: Row<'saved_views'>): void {
  if (row.owner_id !== p.userId && !hasRole(p, 'admin'))
    throw forbidden('Only its owner or an admin can change a shared view');
}

async function checkShare(k: Tx, p: Principal, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  if (!hasRole(p, 'admin')) throw forbidden('Only admins can share a view with a team');
  await requireAccountTeam(k, p.accountId, teamId, 'sharedWithTeamId');
}

/** Sharing changes what a whole team sees, so shared views are audited like other admin changes. */
async function auditShared(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  action: string,
  row: Row<'saved_views'>,
  details: Record<string, unknown> = {},
) {
  await audit(ctx, tx, p, {
    action,
    targetType: 'saved_view',
    targetId: row.id,
    details: { name: row.name, teamId: row.shared_team_id, ...details },
  });
}

export async function createView(ctx: AppContext, p: Principal, b: ViewCreate): Promise<SavedView> {
  const k = ctx.db.kysely;
  await checkShare(k, p, b.sharedWithTeamId);
  const now = ctx.clock.now();
  const row: Row<'saved_views'> = {
    id: newId(now),
    account_id: p.accountId,
    owner_id: p.userId,
    name: b.name,
    filters: JSON.stringify(b.filters),
    shared_team_id: b.sharedWithTeamId ?? null,
    created_at: now,
    updated_at: now,
  };
  await k.transaction().execute(async (tx) => {
    await tx.insertInto('saved_views').values(row).execute();
    if (row.shared_team_id) await auditShared(ctx, tx, p, 'saved_view.shared', row);
  });
  return toViewDto(row);
}

export async function updateView(
  ctx: AppContext,
  p: Principal,
  id: string,
  b: ViewPatch,
): Promise<SavedView> {
  return ctx.db.kysely.transaction().execute(async (tx) => {
    const row = await loadVisibleView(tx, p, id);
    assertCanWrite(p, row);
    const sharing = b.sharedWithTeamId !== undefined && b.sharedWithTeamId !== row.shared_team_id;
    if (sharing) {
      if (!hasRole(p, 'admin')) throw forbidden('Only admins can share a view with a team');
      await checkShare(tx, p, b.sharedWithTeamId);
    }
    const next: Row<'saved_views'> = {
      ...row,
      name: b.name ?? row.name,
      filters: b.filters ? JSON.stringify(b.filters) : row.filters,
      shared_team_id: b.sharedWithTeamId === undefined ? row.shared_team_id : b.sharedWithTeamId,
      updated_at: ctx.clock.now(),
    };
    await tx
      .updateTable('saved_views')
      .set({
        name: next.name,
        filters: next.filters,
        shared_team_id: next.shared_team_id,
        updated_at: next.updated_at,
      })
      .where('id', '=', row.id)
      .execute();
    if (sharing)
      await auditShared(ctx, tx, p, next.shared_team_id ? 'saved_view.shared' : 'saved_view.unshared', next, {
        previousTeamId: row.shared_team_id,
      });
    else if (row.shared_team_id) await auditShared(ctx, tx, p, 'saved_view.updated', next);
    return toViewDto(next);
  });
}

export async function deleteView(ctx: AppContext, p: Principal, id: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const row = await loadVisibleView(tx, p, id);
    assertCanWrite(p, row);
    await tx.deleteFrom('saved_views').where('id', '=', row.id).execute();
    if (row.shared_team_id) await auditShared(ctx, tx, p, 'saved_view.deleted', row);
  });
}
