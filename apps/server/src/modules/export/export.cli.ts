import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { randomToken } from '../../infra/crypto/ids.ts';
import { DomainError, notFound } from '../../lib/domain-error.ts';
import { audit } from '../audit/audit.service.ts';
import { parseSearchText } from '../search/search.service.ts';
import { EXPORT_FORMATS, EXPORT_KINDS, exportFilterSchema } from '@switchboard/shared';
import { runExport } from './export.service.ts';
import { accountTimeZone } from '../accounts/account-time-zone.ts';

/** Options of `switchboard export` as commander hands them over (all strings). */
export interface ExportCommandOptions {
  account: string;
  out: string;
  kind?: string;
  format?: string;
  q?: string;
  status?: string;
  assignee?: string;
  team?: string;
  channel?: string;
  contact?: string;
  label?: string;
  from?: string;
  to?: string;
}

const optionsSchema = z.object({
  account: z.string().min(1),
  out: z.string().min(1),
  kind: z.enum(EXPORT_KINDS).default('messages'),
  format: z.enum(EXPORT_FORMATS).optional(),
  filter: exportFilterSchema,
});

/**
 * `switchboard export`: the same export as the API's, for a whole account (no operator limits), written
 * to a local file with a progress line on `progress` (stderr). The file appears only when complete.
 */
export async function exportCommand(
  ctx: AppContext,
  o: ExportCommandOptions,
  progress: (line: string) => void,
): Promise<{ rows: number; file: string }> {
  const { account, out, kind, format, ...rest } = o;
  const parsed = optionsSchema.safeParse({
    account,
    out,
    kind,
    format: format ?? (extname(out).toLowerCase() === '.csv' ? 'csv' : 'xlsx'),
    filter: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new DomainError('validation_error', `--${String(i.path[i.path.length - 1] ?? '')}: ${i.message}`);
  }
  const opts = parsed.data;
  if (opts.filter.assignee === 'me')
    throw new DomainError('validation_error', '--assignee: "me" has no meaning here; give a user id');
  if (opts.filter.q) parseSearchText(opts.filter.q);
  const acc = await ctx.db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', opts.account)
    .executeTakeFirst();
  if (!acc) throw notFound(`Account ${opts.account}`);
  const tmp = `${opts.out}.${randomToken(6)}.part`;
  const file = createWriteStream(tmp);
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  failed.catch(() => {});
  let lastLine = 0;
  try {
    const rows = await Promise.race([
      runExport(
        ctx,
        {
          accountId: opts.account,
          kind: opts.kind,
          format: opts.format ?? 'xlsx',
          filter: opts.filter,
          userId: null,
          teams: undefined,
          timeZone: await accountTimeZone(ctx, opts.account),
        },
        file,
        async ({ done, total }) => {
          const now = Date.now();
          if (now - lastLine < 200 && done < total) return;
          lastLine = now;
          const pct = total ? Math.floor((done / total) * 100) : 100;
          progress(`\rexport: ${done}/${total} ${opts.kind} (${pct}%)`);
        },
      ),
      failed,
    ]);
    await rename(tmp, opts.out);
    await audit(
      ctx,
      ctx.db.kysely,
      { accountId: opts.account, userId: null },
      {
        action: 'export.created',
        targetType: 'export',
        details: {
          kind: opts.kind,
          format: opts.format ?? 'xlsx',
          filter: opts.filter,
          via: 'cli',
          rows,
          file: opts.out,
        },
      },
    );
    progress(`\rexport: ${rows} ${opts.kind} written to ${opts.out}\n`);
    return { rows, file: opts.out };
  } catch (err) {
    file.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
