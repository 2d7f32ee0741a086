import { MAX_IMPORT_ROWS, MAX_REPORTED } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { consentScope } from '../consent/consent-scope.ts';
import { recordImportConsent, scopeName } from '../consent/consent.service.ts';
import { toContactDtos } from '../contacts/contact.dto.ts';
import { transact, type UnitOfWork } from '../events/unit-of-work.ts';
import { indexContact } from '../search/search-index.ts';
import { importable } from './external-id.ts';
import {
  type ImportRow,
  type RawRow,
  type RowIssue,
  type RowProblem,
  checkRow,
  isProblem,
  rowProblem,
} from './import-row.ts';

/** Rows written per transaction: short enough not to hold SQLite's write lock for long. */
export const IMPORT_BATCH = 500;

export { MAX_IMPORT_ROWS, MAX_REPORTED };

/** Who imports: a user, or the CLI on the server (no user); only these two are recorded. */
export type Importer = { accountId: string; userId: string | null };

export interface ImportOptions {
  /** Where the list comes from (kept on each consent decision and in the audit log). */
  source: string;
  /** Opt in every row whose own optIn is empty. */
  optIn: boolean;
  /** The channel of rows without a channelId. */
  channelId?: string;
  format: 'csv' | 'json';
  ignoredColumns?: string[];
}

export interface ImportResult {
  importId: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: RowProblem[];
  warnings: RowProblem[];
  truncated: boolean;
  ignoredColumns: string[];
}

export type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * Imports contacts: every row is checked first (bad rows are skipped and reported with their row
 * number); the good ones are written in batches of IMPORT_BATCH rows, one transaction each, so a row is
 * all or nothing and a crash midway leaves whole batches behind. Re-running the same file is safe: the
 * identity (channel, externalId) is the key, and a second run finds every contact unchanged.
 */
export async function importContacts(
  ctx: AppContext,
  who: Importer,
  rows: RawRow[],
  o: ImportOptions,
): Promise<ImportResult> {
  if (rows.length === 0)
    throw new DomainError('validation_error', 'No contacts to import: the list is empty');
  if (rows.length > MAX_IMPORT_ROWS)
    throw new DomainError(
      'validation_error',
      `At most ${MAX_IMPORT_ROWS} contacts per import; split the file`,
      {
        maxRows: MAX_IMPORT_ROWS,
      },
    );
  const channels = new Map(
    (
      await ctx.db.kysely
        .selectFrom('channels')
        .select(['id', 'type'])
        .where('account_id', '=', who.accountId)
        .execute()
    ).map((c) => [c.id, c]),
  );
  if (o.channelId) {
    const ch = channels.get(o.channelId);
    if (!ch) throw new DomainError('not_found', `Channel ${o.channelId} not found`);
    if (!importable(ch.type))
      throw new DomainError(
        'validation_error',
        `channelId: contacts of ${ch.type} channels cannot be imported`,
      );
  }

  const result: ImportResult = {
    importId: newId(ctx.clock.now()),
    total: rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    errors: [],
    warnings: [],
    truncated: false,
    ignoredColumns: o.ignoredColumns ?? [],
  };
  const report = (list: RowProblem[], p: RowProblem) => {
    if (list.length < MAX_REPORTED) list.push(p);
    else result.truncated = true;
  };

  const good: ImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const raw of rows) {
    const r = checkRow(raw, { channels, channelId: o.channelId, optIn: o.optIn });
    if (isProblem(r)) {
      result.skipped++;
      report(result.errors, r);
      continue;
    }
    const key = `${r.channel.id}\n${r.externalId}`;
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      result.skipped++;
      report(
        result.errors,
        rowProblem(r.row, [
          {
            field: 'externalId',
            code: 'duplicate',
            value: r.externalId,
            firstRow: first,
            message: `"${r.externalId}" is already in row ${first} (same channel); one row per customer address`,
          },
        ]),
      );
      continue;
    }
    firstRowOf.set(key, r.row);
    good.push(r);
  }

  let failure: unknown;
  try {
    for (let i = 0; i < good.length; i += IMPORT_BATCH) {
      const batch = good.slice(i, i + IMPORT_BATCH);
      await transact(ctx, async (uow) => {
        const touched = new Map<string, Outcome>();
        for (const r of batch) {
          const { contactId, outcome, warning } = await applyRow(ctx, uow, who, r, o.source, result.importId);
          result[outcome]++;
          if (warning) report(result.warnings, rowProblem(r.row, [warning]));
          if (outcome !== 'unchanged') touched.set(contactId, outcome);
        }
        await emitContacts(uow, who.accountId, touched);
      });
    }
  } catch (err) {
    failure = err;
  }
  // On record even when a batch failed: what was written before it stays written.
  const entry = audit(ctx, ctx.db.kysely, who, {
    action: 'contacts.imported',
    targetType: 'import',
    targetId: result.importId,
    details: {
      source: o.source,
      format: o.format,
      optIn: o.optIn,
      channelId: o.channelId ?? null,
      total: result.total,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      skipped: result.skipped,
      ...(failure ? { failed: (failure as Error).message } : {}),
    },
  });
  if (failure) {
    // The batch's own error is the one to report, even if the database is gone for the audit too.
    await entry.catch(() => {});
    throw failure;
  }
  await entry;
  return result;
}

/** Consoles follow imports live: a created or changed contact is announced like any other. */
export async function emitContacts(uow: UnitOfWork, accountId: string, touched: Map<string, Outcome>) {
  if (touched.size === 0) return;
  const rows = await uow.tx
    .selectFrom('contacts')
    .selectAll()
    .where('id', 'in', [...touched.keys()])
    .execute();
  for (const dto of await toContactDtos(uow.tx, rows)) {
    uow.emit(accountId, touched.get(dto.id) === 'created' ? 'contact.created' : 'contact.updated', dto);
  }
}

export async function applyRow(
  ctx: AppContext,
  uow: UnitOfWork,
  who: Importer,
  r: ImportRow,
  source: string,
  importId: string,
): Promise<{ contactId: string; outcome: Outcome; warning?: RowIssue & { message: string } }> {
  const tx = uow.tx;
  const now = ctx.clock.now();
  const find = () =>
    tx
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('channel_id', '=', r.channel.id)
      .where('external_id', '=', r.externalId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();

  let contactId = (await find())?.contact_id;
  let created = false;
  if (!contactId) {
    const id = newId(now);
    await tx
      .insertInto('contacts')
      .values({
        id,
        account_id: who.accountId,
        name: r.name,
        phone: r.phone ?? r.impliedPhone,
        email: r.email,
        attributes: JSON.stringify(r.attributes),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const ins = await tx
      .insertInto('contact_identities')
      .values({
        id: newId(now),
        account_id: who.accountId,
        contact_id: id,
        channel_id: r.channel.id,
        external_id: r.externalId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
      .executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 1) {
      contactId = id;
      created = true;
    } else {
      // The customer wrote (or another import ran) at this very moment: theirs is the contact.
      await tx.deleteFrom('contacts').where('id', '=', id).execute();
      contactId = (await find())!.contact_id;
    }
  }

  let changed = created;
  if (!created) changed = await updateFields(ctx, tx, contactId, r, now);
  if (r.labels.length > 0) {
    const added = await tx
      .insertInto('contact_labels')
      .values(
        r.labels.map((label) => ({
          contact_id: contactId,
          account_id: who.accountId,
          label,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['contact_id', 'label']).doNothing())
      .returning('label')
      .execute();
    if (added.length > 0) changed = true;
  }
  let warning: (RowIssue & { message: string }) | undefined;
  if (r.optIn !== undefined) {
    const scope = consentScope(r.channel.type);
    const c = await recordImportConsent(ctx, tx, who, {
      contactId,
      scope,
      optIn: r.optIn,
      source,
      importId,
    });
    if (c === 'changed') changed = true;
    if (c === 'refused')
      warning = {
        field: 'optIn',
        code: 'opt_in_refused',
        scope,
        message: `not recorded: the customer opted out of ${scopeName(scope)} themselves; only they can opt in again`,
      };
  }
  if (created || changed) await indexContact(ctx, tx, contactId);
  return { contactId, outcome: created ? 'created' : changed ? 'updated' : 'unchanged', warning };
}

/**
 * The file's non-empty name, phone, e-mail and attributes replace the contact's (an import is a supervisor's
 * deliberate act); empty cells leave them. A phone only implied by the address fills a missing one.
 */
async function updateFields(
  ctx: AppContext,
  tx: UnitOfWork['tx'],
  contactId: string,
  r: ImportRow,
  now: number,
): Promise<boolean> {
  const c = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', contactId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  const patch: Partial<Pick<Row<'contacts'>, 'name' | 'phone' | 'email' | 'attributes'>> = {};
  if (r.name && r.name !== c.name) patch.name = r.name;
  const phone = r.phone ?? (c.phone ? null : r.impliedPhone);
  if (phone && phone !== c.phone) patch.phone = phone;
  if (r.email && r.email !== c.email) patch.email = r.email;
  const had = JSON.parse(c.attributes || '{}') as Record<string, unknown>;
  if (Object.entries(r.attributes).some(([k, v]) => had[k] !== v))
    patch.attributes = JSON.stringify({ ...had, ...r.attributes });
  if (Object.keys(patch).length === 0) return false;
  await tx
    .updateTable('contacts')
    .set({ ...patch, updated_at: now })
    .where('id', '=', contactId)
    .execute();
  return true;
}
