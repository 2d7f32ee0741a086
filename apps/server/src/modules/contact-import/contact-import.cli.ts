import { readFile } from 'node:fs/promises';
import type { AppContext } from '../../app-context.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { MAX_IMPORT_ROWS, importContacts } from './contact-import.service.ts';
import { decodeCsv, parseCsvTable } from './csv-records.ts';
import { csvRawRows } from './import-row.ts';

/** Options of `switchboard import-contacts` as commander hands them over. */
export interface ImportCommandOptions {
  account: string;
  source: string;
  optIn?: boolean;
  channel?: string;
}

/** Largest file the command reads: the same as the API's row limit allows in practice. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * `switchboard import-contacts <file.csv>`: the API's import for an account, run on the server (audited
 * without a user). Prints the counts and every skipped row with its number; `print` is stdout.
 */
export async function importContactsCommand(
  ctx: AppContext,
  file: string,
  o: ImportCommandOptions,
  print: (line: string) => void,
) {
  const source = o.source.trim();
  if (!source || source.length > 200) throw new DomainError('validation_error', '--source: 1-200 characters');
  const acc = await ctx.db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', o.account)
    .executeTakeFirst();
  if (!acc) throw notFound(`Account ${o.account}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DomainError('not_found', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new DomainError('body_too_large', `${file} is larger than 50 MB`);
  const { rows, ignoredColumns } = csvRawRows(parseCsvTable(decodeCsv(bytes), MAX_IMPORT_ROWS));
  const r = await importContacts(ctx, { accountId: acc.id, userId: null }, rows, {
    source,
    optIn: o.optIn ?? false,
    channelId: o.channel,
    format: 'csv',
    ignoredColumns,
  });
  print(
    `import-contacts: ${r.total} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped`,
  );
  if (ignoredColumns.length) print(`ignored columns: ${ignoredColumns.join(', ')}`);
  for (const e of r.errors) print(`row ${e.row}: skipped: ${e.message}`);
  for (const w of r.warnings) print(`row ${w.row}: ${w.message}`);
  if (r.truncated) print('(more problems than listed)');
  return r;
}
