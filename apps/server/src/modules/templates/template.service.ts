import type { TemplateDto, TemplateScope } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { isUniqueViolation, type Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError, conflict, notFound } from '../../lib/domain-error.ts';
import { hasRole, type Principal } from '../auth/principal.ts';
import { attachmentsOf, toTemplateAttachmentDto } from './template-attachments.ts';
import { variablesOf } from './template-vars.ts';
import { requireAccountTeam } from '../teams/account-team.ts';

export function toTemplateDto(r: Row<'templates'>, files: Row<'template_attachments'>[] = []): TemplateDto {
  return {
    id: r.id,
    name: r.name,
    shortcut: r.shortcut,
    text: r.body,
    scope: r.scope as TemplateScope,
    teamId: r.team_id,
    ownerId: r.owner_id,
    variables: variablesOf(r.body),
    attachments: files.map(toTemplateAttachmentDto),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function teamsOf(k: Tx, p: Principal): Promise<string[]> {
  const rows = await k
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', p.userId)
    .where('account_id', '=', p.accountId)
    .execute();
  return rows.map((r) => r.team_id);
}

/**
 * Templates this principal may use: the account's, their teams' and their own. Supervisors and admins
 * also see every team's (they manage them); nobody sees another user's personal templates.
 */
export function visibleTemplates(k: Tx, p: Principal, myTeams: string[]) {
  return k
    .selectFrom('templates')
    .selectAll()
    .where('account_id', '=', p.accountId)
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'everyone'),
        ...(hasRole(p, 'supervisor')
          ? [eb('scope', '=', 'team')]
          : myTeams.length
            ? [eb.and([eb('scope', '=', 'team'), eb('team_id', 'in', myTeams)])]
            : []),
        eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', p.userId)]),
      ]),
    );
}

export async function loadVisibleTemplate(k: Tx, p: Principal, id: string): Promise<Row<'templates'>> {
  const row = await visibleTemplates(k, p, await teamsOf(k, p))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Template');
  return row;
}

export interface TemplateInput {
  name: string;
  shortcut: string;
  text: string;
  scope: TemplateScope;
  teamId?: string | null;
}

/** Resolves where a template lives, refusing what this principal may not write there. */
export async function resolveScope(
  k: Tx,
  p: Principal,
  scope: TemplateScope,
  teamId: string | null | undefined,
): Promise<{ team_id: string | null; owner_id: string | null; scope_key: string }> {
  if (scope === 'personal') return { team_id: null, owner_id: p.userId, scope_key: `user:${p.userId}` };
  if (!hasRole(p, 'supervisor'))
    throw new DomainError('forbidden', 'Operators can manage only their personal templates');
  if (scope === 'everyone') return { team_id: null, owner_id: null, scope_key: 'everyone' };
  if (!teamId) throw new DomainError('validation_error', 'teamId: required for a team template');
  const team = await requireAccountTeam(k, p.accountId, teamId);
  return { team_id: team.id, owner_id: null, scope_key: `team:${team.id}` };
}

/** Whether this principal may change or delete an existing template. */
export function assertCanWrite(p: Principal, row: Row<'templates'>): void {
  if (row.scope === 'personal' ? row.owner_id !== p.userId : !hasRole(p, 'supervisor'))
    throw new DomainError('forbidden', 'Operators can manage only their personal templates');
}

function shortcutTaken(shortcut: string): DomainError {
  return conflict(`The shortcut "/${shortcut}" is already used in this scope`);
}

export async function createTemplate(
  ctx: AppContext,
  k: Tx,
  p: Principal,
  input: TemplateInput,
): Promise<Row<'templates'>> {
  const where = await resolveScope(k, p, input.scope, input.teamId);
  const now = ctx.clock.now();
  const row: Row<'templates'> = {
    id: newId(now),
    account_id: p.accountId,
    scope: input.scope,
    ...where,
    name: input.name,
    shortcut: input.shortcut,
    body: input.text,
    created_by: p.userId,
    created_at: now,
    updated_at: now,
  };
  try {
    await k.insertInto('templates').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw shortcutTaken(input.shortcut);
    throw err;
  }
  return row;
}

export async function updateTemplate(
  ctx: AppContext,
  k: Tx,
  p: Principal,
  row: Row<'templates'>,
  patch: Partial<TemplateInput>,
): Promise<Row<'templates'>> {
  assertCanWrite(p, row);
  const scope = patch.scope ?? (row.scope as TemplateScope);
  const moved = patch.scope !== undefined || patch.teamId !== undefined;
  const where = moved
    ? await resolveScope(k, p, scope, patch.teamId === undefined ? row.team_id : patch.teamId)
    : { team_id: row.team_id, owner_id: row.owner_id, scope_key: row.scope_key };
  const next: Row<'templates'> = {
    ...row,
    ...where,
    scope,
    name: patch.name ?? row.name,
    shortcut: patch.shortcut ?? row.shortcut,
    body: patch.text ?? row.body,
    updated_at: ctx.clock.now(),
  };
  try {
    await k
      .updateTable('templates')
      .set({
        scope: next.scope,
        team_id: next.team_id,
        owner_id: next.owner_id,
        scope_key: next.scope_key,
        name: next.name,
        shortcut: next.shortcut,
        body: next.body,
        updated_at: next.updated_at,
      })
      .where('id', '=', row.id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw shortcutTaken(next.shortcut);
    throw err;
  }
  return next;
}

/** Case-insensitive substring of shortcut, name or text (the composer's "/" picker), in JS so Cyrillic
 * case folds the same on SQLite (whose lower() is ASCII-only) and PostgreSQL. */
export function matchesText(r: Row<'templates'>, q: string): boolean {
  const needle = q.toLowerCase();
  return [r.shortcut, r.name, r.body].some((s) => s.toLowerCase().includes(needle));
}

/** Templates as the API shows them, files included. */
export async function templateDtos(k: Tx, rows: Row<'templates'>[]): Promise<TemplateDto[]> {
  const files = await attachmentsOf(
    k,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toTemplateDto(r, files.get(r.id)));
}

export async function templateDto(k: Tx, row: Row<'templates'>): Promise<TemplateDto> {
  return (await templateDtos(k, [row]))[0]!;
}
