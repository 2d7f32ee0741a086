import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type ImportMapping, importMappingSchema } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { type Counts, failImport, importProblems, runImport, startImport } from './import-job.service.ts';
import { IMPORT_FILE_MAX_BYTES, discardUpload, storeUpload } from './import-upload.ts';

/** Options of `switchboard import-contacts` as commander hands them over. */
export interface ImportCommandOptions {
  account: string;
  source: string;
  optIn?: boolean;
  channel?: string;
  /** JSON: header → field or attributes.<key> (null: ignore), as the API's mapping. */
  mapping?: string;
}

/**
 * `switchboard import-contacts <file.csv|file.xlsx>`: the API's file import for an account, run here
 * and now (not by the worker) and audited without a user. A progress line goes to `progress` (stderr);
 * the counts and every skipped row with its number to `print` (stdout).
 */
export async function importContactsCommand(
  ctx: AppContext,
  file: string,
  o: ImportCommandOptions,
  print: (line: string) => void,
  progress: (line: string) => void = () => {},
): Promise<Counts & { id: string; total: number | null }> {
  const source = o.source.trim();
  if (!source || source.length > 200) throw new DomainError('validation_error', '--source: 1-200 characters');
  let mapping: ImportMapping = {};
  if (o.mapping) {
    let value: unknown;
    try {
      value = JSON.parse(o.mapping);
    } catch {
      throw new DomainError('validation_error', '--mapping: not JSON');
    }
    const r = importMappingSchema.safeParse(value);
    if (!r.success) throw new DomainError('validation_error', `--mapping: ${r.error.issues[0]!.message}`);
    mapping = r.data as ImportMapping;
  }
  const acc = await ctx.db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', o.account)
    .executeTakeFirst();
  if (!acc) throw notFound(`Account ${o.account}`);
  try {
    const size = (await stat(file)).size;
    if (size > IMPORT_FILE_MAX_BYTES)
      throw new DomainError(
        'body_too_large',
        `${file} is larger than ${IMPORT_FILE_MAX_BYTES / 1024 / 1024} MB`,
      );
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('not_found', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const who = { accountId: acc.id, userId: null };
  const upload = await storeUpload(ctx, acc.id, createReadStream(file));
  let row: Awaited<ReturnType<typeof startImport>>;
  try {
    row = await startImport(
      ctx,
      who,
      {
        format: file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv',
        source,
        optIn: o.optIn ?? false,
        channelId: o.channel,
        mapping,
        fileName: null,
      },
      upload,
      false,
    );
  } catch (err) {
    await discardUpload(ctx, upload);
    throw err;
  }
  let lastLine = 0;
  let counts: Counts;
  try {
    counts = await runImport(ctx, { ...row, status: 'running' }, async ({ processed, total }) => {
      const now = Date.now();
      if (now - lastLine < 200 && processed !== total) return;
      lastLine = now;
      if (total === null) progress('\rimport-contacts: counting rows…');
      else
        progress(`\rimport-contacts: ${processed}/${total} rows (${Math.floor((processed / total) * 100)}%)`);
    });
  } catch (err) {
    await failImport(ctx, row.id, (err as Error).message);
    throw err;
  } finally {
    if (lastLine) progress('\n');
  }
  const done = await ctx.db.kysely
    .selectFrom('contact_imports')
    .select(['total', 'ignored_columns'])
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  print(
    `import-contacts: ${done.total} rows: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} skipped`,
  );
  const ignored = JSON.parse(done.ignored_columns) as string[];
  if (ignored.length) print(`ignored columns: ${ignored.join(', ')}`);
  for await (const p of importProblems(ctx, row.id))
    print(p.kind === 'error' ? `row ${p.row}: skipped: ${p.message}` : `row ${p.row}: ${p.message}`);
  return { id: row.id, total: done.total, ...counts };
}
