import type { Readable } from 'node:stream';
import {
  type ImportFormat,
  type ImportJob,
  type ImportMapping,
  MAX_FILE_IMPORT_ROWS,
  MAX_LISTED_PROBLEMS,
} from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import {
  IMPORT_BATCH,
  type Importer,
  type Outcome,
  applyRow,
  emitContacts,
} from './contact-import.service.ts';
import { importable } from './external-id.ts';
import { importRecords } from './import-records.ts';
import { type Upload, discardUpload } from './import-upload.ts';
import {
  type ImportRow,
  type RowProblem,
  checkRow,
  isProblem,
  mapHeader,
  rawRowOf,
  rowProblem,
} from './import-row.ts';

export const CONTACT_IMPORT_JOB = 'contacts.import';
export const IMPORT_MAX_ATTEMPTS = 3;
export interface StartImport {
  format: ImportFormat;
  source: string;
  optIn: boolean;
  channelId?: string;
  mapping: ImportMapping;
  fileName?: string | null;
}

async function checkChannel(ctx: AppContext, accountId: string, channelId: string | undefined) {
  if (!channelId) return;
  const ch = await ctx.db.kysely
    .selectFrom('channels')
    .select(['id', 'type'])
    .where('account_id', '=', accountId)
    .where('id', '=', channelId)
    .executeTakeFirst();
  if (!ch) throw new DomainError('not_found', `Channel ${channelId} not found`);
  if (!importable(ch.type))
    throw new DomainError(
      'validation_error',
      `channelId: contacts of ${ch.type} channels cannot be imported`,
    );
}

/** The file's header row (the first non-blank one), read without going further. */
export async function readHeader(bytes: Readable, format: ImportFormat): Promise<string[]> {
  for await (const r of importRecords(bytes, format)) {
    bytes.destroy();
    return r.cells;
  }
  throw new DomainError('validation_error', 'The file is empty: no header row');
}

/**
 * Stores the upload and queues its import: the header is checked at once (a file whose columns cannot be
 * imported is refused here, not an hour later), the rows by the job.
 */
export async function startImport(
  ctx: AppContext,
  who: Importer,
  o: StartImport,
  upload: Upload,
  /** false: the caller runs it now (the CLI) instead of the worker. */
  queue = true,
): Promise<Row<'contact_imports'>> {
  const now = ctx.clock.now();
  const key = upload.key;
  const row: Row<'contact_imports'> = {
    id: upload.id,
    account_id: who.accountId,
    user_id: who.userId,
    format: o.format,
    source: o.source,
    opt_in: o.optIn ? 1 : 0,
    channel_id: o.channelId ?? null,
    mapping: JSON.stringify(o.mapping),
    storage_key: null,
    file_name: o.fileName ?? null,
    status: 'queued',
    total: null,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    warned: 0,
    ignored_columns: '[]',
    failure: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  try {
    await checkChannel(ctx, who.accountId, o.channelId);
    if (upload.size === 0) throw new DomainError('validation_error', 'The file is empty: no header row');
    const header = await readHeader((await ctx.files.get(key))!, o.format);
    row.ignored_columns = JSON.stringify(mapHeader(header, o.mapping).ignored);
  } catch (err) {
    await discardUpload(ctx, upload);
    throw err;
  }
  row.storage_key = key;
  await transact(ctx, async (uow) => {
    await uow.tx.insertInto('contact_imports').values(row).execute();
    if (queue)
      await uow.enqueue({
        type: CONTACT_IMPORT_JOB,
        payload: { importId: row.id },
        accountId: who.accountId,
        maxAttempts: IMPORT_MAX_ATTEMPTS,
      });
  });
  return row;
}

export async function loadImport(ctx: AppContext, accountId: string, id: string) {
  const row = await ctx.db.kysely
    .selectFrom('contact_imports')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound(`Import ${id}`);
  return row;
}

export async function toImportJob(ctx: AppContext, r: Row<'contact_imports'>): Promise<ImportJob> {
  const problems = await ctx.db.kysely
    .selectFrom('contact_import_problems')
    .select(['row', 'kind', 'message', 'issues'])
    .where('import_id', '=', r.id)
    .orderBy('kind')
    .orderBy('row')
    .limit(MAX_LISTED_PROBLEMS * 2)
    .execute();
  const list = (kind: string) =>
    problems
      .filter((p) => p.kind === kind)
      .slice(0, MAX_LISTED_PROBLEMS)
      .map((p) => ({ row: p.row, message: p.message, issues: JSON.parse(p.issues) }));
  return {
    id: r.id,
    status: r.status as ImportJob['status'],
    format: r.format as ImportFormat,
    source: r.source,
    total: r.total,
    processed: r.processed,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    errors: list('error'),
    warnings: list('warning'),
    ignoredColumns: JSON.parse(r.ignored_columns),
    failure: r.failure,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** Every problem of an import, in row order, for the errors file. */
export async function* importProblems(ctx: AppContext, importId: string) {
  let after = -1;
  for (;;) {
    const page = await ctx.db.kysely
      .selectFrom('contact_import_problems')
      .select(['row', 'kind', 'message'])
      .where('import_id', '=', importId)
      .where('row', '>', after)
      .orderBy('row')
      .orderBy('kind')
      .limit(1000)
      .execute();
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.row;
  }
}

export interface Counts {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  warned: number;
}

/**
 * The job: reads the stored file record by record (twice: first to count the rows for the progress bar,
 * then to import), writing batches of IMPORT_BATCH rows, each in one transaction together with the
 * import's counts and the batch's problems. A retried job skips the rows its counts say are done, so
 * nothing is written or counted twice; repeats of an address are still found across the restart.
 */
export async function runImport(
  ctx: AppContext,
  row: Row<'contact_imports'>,
  /** After each batch (and while counting): the job renews its lease, the CLI draws its progress line. */
  progress: (p: { processed: number; total: number | null }) => Promise<void>,
): Promise<Counts> {
  const k = ctx.db.kysely;
  const key = row.storage_key;
  const open = async () => {
    const s = key ? await ctx.files.get(key) : undefined;
    if (!s) throw new DomainError('not_found', 'The uploaded file is gone');
    return s;
  };
  const format = row.format as ImportFormat;
  const mapping = JSON.parse(row.mapping) as ImportMapping;
  const who: Importer = { accountId: row.account_id, userId: row.user_id };
  await k
    .updateTable('contact_imports')
    .set({ status: 'running', updated_at: ctx.clock.now() })
    .where('id', '=', row.id)
    .execute();

  if (row.total === null) {
    let total = -1; // the header is not a contact
    for await (const _ of importRecords(await open(), format)) {
      total++;
      if (total > MAX_FILE_IMPORT_ROWS)
        throw new DomainError(
          'validation_error',
          `The file has more than ${MAX_FILE_IMPORT_ROWS} rows; split it`,
        );
      if (total % 5000 === 0) await progress({ processed: 0, total: null });
    }
    if (total <= 0) throw new DomainError('validation_error', 'No contacts to import: the file has no rows');
    await k
      .updateTable('contact_imports')
      .set({ total, updated_at: ctx.clock.now() })
      .where('id', '=', row.id)
      .execute();
    row.total = total;
  }

  const channels = new Map(
    (
      await k.selectFrom('channels').select(['id', 'type']).where('account_id', '=', row.account_id).execute()
    ).map((c) => [c.id, c]),
  );
  const defaults = { channels, channelId: row.channel_id ?? undefined, optIn: row.opt_in === 1 };
  const counts: Counts = {
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    skipped: row.skipped,
    warned: row.warned,
  };
  const done = row.processed;
  const firstRowOf = new Map<string, number>();
  let columns: ReturnType<typeof mapHeader>['columns'] | undefined;
  let seen = 0;
  let batch: (ImportRow | RowProblem)[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const c = { ...counts };
    const problems: { row: number; kind: string; message: string; issues: string }[] = [];
    await transact(ctx, async (uow) => {
      const touched = new Map<string, Outcome>();
      for (const r of rows) {
        c.processed++;
        if (isProblem(r)) {
          c.skipped++;
          problems.push({ row: r.row, kind: 'error', message: r.message, issues: JSON.stringify(r.issues) });
          continue;
        }
        const { contactId, outcome, warning } = await applyRow(ctx, uow, who, r, row.source, row.id);
        c[outcome]++;
        if (warning) {
          c.warned++;
          const p = rowProblem(r.row, [warning]);
          problems.push({
            row: r.row,
            kind: 'warning',
            message: p.message,
            issues: JSON.stringify(p.issues),
          });
        }
        if (outcome !== 'unchanged') touched.set(contactId, outcome);
      }
      for (let i = 0; i < problems.length; i += 100)
        await uow.tx
          .insertInto('contact_import_problems')
          .values(problems.slice(i, i + 100).map((p) => ({ import_id: row.id, ...p })))
          .execute();
      await uow.tx
        .updateTable('contact_imports')
        .set({ ...c, updated_at: ctx.clock.now() })
        .where('id', '=', row.id)
        .execute();
      await emitContacts(uow, row.account_id, touched);
    });
    Object.assign(counts, c);
    await progress({ processed: counts.processed, total: row.total });
  };

  for await (const rec of importRecords(await open(), format)) {
    if (!columns) {
      columns = mapHeader(rec.cells, mapping).columns;
      continue;
    }
    seen++;
    const checked = checkRow(rawRowOf(rec.row, rec.cells, columns), defaults);
    let r: ImportRow | RowProblem = checked;
    if (!isProblem(checked)) {
      const addr = `${checked.channel.id}\n${checked.externalId}`;
      const first = firstRowOf.get(addr);
      if (first === undefined) firstRowOf.set(addr, checked.row);
      else
        r = rowProblem(checked.row, [
          {
            field: 'externalId',
            code: 'duplicate',
            value: checked.externalId,
            firstRow: first,
            message: `"${checked.externalId}" is already in row ${first} (same channel); one row per customer address`,
          },
        ]);
    }
    // Written before a restart: only the repeats map needed them.
    if (seen <= done) continue;
    batch.push(r);
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();

  const now = ctx.clock.now();
  await transact(ctx, async (uow) => {
    await uow.tx
      .updateTable('contact_imports')
      .set({ status: 'done', finished_at: now, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await audit(ctx, uow.tx, who, {
      action: 'contacts.imported',
      targetType: 'import',
      targetId: row.id,
      details: {
        source: row.source,
        format,
        optIn: row.opt_in === 1,
        channelId: row.channel_id,
        total: row.total,
        ...counts,
      },
    });
  });
  // The uploaded file has done its job; the counts and problems stay.
  if (key) await ctx.files.delete(key).catch(() => {});
  return counts;
}

/** Marks an import failed (a file that cannot be read, or the last attempt spent). */
export async function failImport(ctx: AppContext, id: string, message: string) {
  const row = await ctx.db.kysely
    .selectFrom('contact_imports')
    .select('storage_key')
    .where('id', '=', id)
    .executeTakeFirst();
  await ctx.db.kysely
    .updateTable('contact_imports')
    .set({
      status: 'failed',
      failure: message.slice(0, 500),
      updated_at: ctx.clock.now(),
      finished_at: ctx.clock.now(),
    })
    .where('id', '=', id)
    .execute();
  if (row?.storage_key) await ctx.files.delete(row.storage_key).catch(() => {});
}
