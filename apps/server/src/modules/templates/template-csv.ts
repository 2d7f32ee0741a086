import { shortcutSchema, TEMPLATE_SCOPES, type TemplateScope } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import { CSV_BOM, CsvError, csvLine, parseCsv } from '../../lib/csv.ts';
import {
  createTemplate,
  resolveScope,
  teamsOf,
  updateTemplate,
  visibleTemplates,
} from './template.service.ts';

export const TEMPLATE_CSV_COLUMNS = ['name', 'shortcut', 'scope', 'team', 'text'] as const;
const MAX_ROWS = 5000;

/** The template list as CSV; the team column holds the team's name (portable between accounts). */
export function templatesToCsv(rows: Row<'templates'>[], teamNames: Map<string, string>): string {
  let out = CSV_BOM + csvLine([...TEMPLATE_CSV_COLUMNS]);
  for (const r of rows) {
    out += csvLine([
      r.name,
      `/${r.shortcut}`,
      r.scope,
      r.team_id ? (teamNames.get(r.team_id) ?? r.team_id) : '',
      r.body,
    ]);
  }
  return out;
}

/** Undoes the formula guard of our own exports ("'=..." back to "=..."). */
function unguard(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

export interface ImportResult {
  created: number;
  updated: number;
  dryRun: boolean;
}

interface RowError {
  row: number;
  message: string;
}

/**
 * Creates or updates (by scope and shortcut) every row of a template CSV, all or nothing: any bad row
 * fails the whole import with the list of problems, and nothing is written.
 */
export async function importTemplatesCsv(
  ctx: AppContext,
  p: Principal,
  text: string,
  dryRun: boolean,
): Promise<ImportResult> {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError)
      throw new DomainError('validation_error', `CSV line ${err.line}: ${err.message}`);
    throw err;
  }
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const col = Object.fromEntries(TEMPLATE_CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof TEMPLATE_CSV_COLUMNS)[number],
    number
  >;
  for (const required of ['name', 'shortcut', 'text'] as const) {
    if (col[required] < 0)
      throw new DomainError('validation_error', `CSV header: the "${required}" column is missing`);
  }
  if (rows.length > MAX_ROWS) throw new DomainError('validation_error', `CSV: at most ${MAX_ROWS} templates`);

  return ctx.db.kysely.transaction().execute(async (tx) => {
    const teams = await tx
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('account_id', '=', p.accountId)
      .execute();
    const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
    const teamIds = new Set(teams.map((t) => t.id));
    const existing = await visibleTemplates(tx, p, await teamsOf(tx, p)).execute();
    const byKey = new Map(existing.map((r) => [`${r.scope_key}\n${r.shortcut}`, r]));
    const errors: RowError[] = [];
    const seen = new Set<string>();
    const result: ImportResult = { created: 0, updated: 0, dryRun };
    for (const [i, r] of rows.entries()) {
      const rowNo = i + 2;
      const get = (c: (typeof TEMPLATE_CSV_COLUMNS)[number]) => (col[c] >= 0 ? unguard(r[col[c]] ?? '') : '');
      const name = get('name').trim();
      const body = get('text');
      const scopeText = (get('scope').trim() || 'everyone').toLowerCase();
      const shortcut = shortcutSchema.safeParse(get('shortcut'));
      if (!name || name.length > 200) errors.push({ row: rowNo, message: 'name: 1-200 characters' });
      if (!body.trim() || body.length > 10_000)
        errors.push({ row: rowNo, message: 'text: 1-10000 characters' });
      if (!shortcut.success)
        errors.push({ row: rowNo, message: `shortcut: ${shortcut.error.issues[0]?.message}` });
      if (!(TEMPLATE_SCOPES as readonly string[]).includes(scopeText)) {
        errors.push({ row: rowNo, message: 'scope: everyone, team or personal' });
        continue;
      }
      const scope = scopeText as TemplateScope;
      let teamId: string | null = null;
      if (scope === 'team') {
        const team = get('team').trim();
        teamId = teamIds.has(team) ? team : (teamByName.get(team.toLowerCase()) ?? null);
        if (!teamId) {
          errors.push({ row: rowNo, message: `team: no team "${team}" in this account` });
          continue;
        }
      }
      if (!shortcut.success || !name || !body.trim()) continue;
      let where: Awaited<ReturnType<typeof resolveScope>>;
      try {
        where = await resolveScope(tx, p, scope, teamId);
      } catch (err) {
        errors.push({ row: rowNo, message: (err as Error).message });
        continue;
      }
      const key = `${where.scope_key}\n${shortcut.data}`;
      if (seen.has(key)) {
        errors.push({ row: rowNo, message: `shortcut: "/${shortcut.data}" appears twice for this scope` });
        continue;
      }
      seen.add(key);
      const input = { name, shortcut: shortcut.data, text: body, scope, teamId };
      const current = byKey.get(key);
      if (current) {
        if (!dryRun) await updateTemplate(ctx, tx, p, current, input);
        result.updated++;
      } else {
        if (!dryRun) await createTemplate(ctx, tx, p, input);
        result.created++;
      }
    }
    if (errors.length) {
      throw new DomainError(
        'validation_error',
        `CSV: ${errors.length} row(s) have problems; nothing was imported (row ${errors[0]!.row}: ${errors[0]!.message})`,
        errors,
      );
    }
    return result;
  });
}
