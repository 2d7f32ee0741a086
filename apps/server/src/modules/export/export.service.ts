import type { Writable } from 'node:stream';
import type { AppContext } from '../../app-context.ts';
import {
  CONVERSATION_COLUMNS,
  conversationRows,
  countRows,
  MESSAGE_COLUMNS,
  messageRows,
} from './export-rows.ts';
import { contactColumns, contactRows, countContacts } from './export-contacts.ts';
import type { ExportSpec } from './export-spec.ts';
import { attributeColumns } from '../attributes/attribute-export.ts';
import { loadDefinitions } from '../attributes/attribute-values.ts';
import { createRowWriter } from './export-writer.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';

export interface ExportProgress {
  done: number;
  total: number;
}

/**
 * Streams an export into `out` page by page and ends it. `onProgress` runs after every page (and may
 * throw to abort, e.g. when a job lost its lease). Returns the number of data rows written.
 */
export async function runExport(
  ctx: AppContext,
  spec: ExportSpec,
  out: Writable,
  onProgress: (p: ExportProgress) => Promise<void>,
): Promise<number> {
  const contacts = spec.kind === 'contacts';
  const total = contacts ? await countContacts(ctx, spec) : await countRows(ctx, spec);
  await onProgress({ done: 0, total });
  const messages = spec.kind === 'messages';
  // Contacts: one column per attribute key the account's contacts carry (known only by reading them).
  const people = contacts ? await contactColumns(ctx, spec) : undefined;
  // Conversations: one column per defined custom attribute (contact ones, then conversation ones).
  const defs = contacts || messages ? [] : await loadDefinitions(ctx.db.kysely, spec.accountId);
  const writer = createRowWriter(
    spec.format,
    out,
    contacts ? 'Contacts' : messages ? 'Messages' : 'Conversations',
    people
      ? people.columns
      : messages
        ? MESSAGE_COLUMNS
        : [...CONVERSATION_COLUMNS, ...attributeColumns(defs)],
    new ZonedTime(spec.timeZone),
  );
  let done = 0;
  const pages = people
    ? contactRows(ctx, spec, people.keys)
    : messages
      ? messageRows(ctx, spec)
      : conversationRows(ctx, spec, defs);
  for await (const page of pages) {
    await writer.write(page);
    done += page.length;
    // Rows added while exporting may push past the first count; progress never reads above 100%.
    await onProgress({ done, total: Math.max(total, done) });
  }
  await writer.end();
  return done;
}

export function exportFileName(
  spec: Pick<ExportSpec, 'kind' | 'format'>,
  at: number,
  zone: ZonedTime,
): string {
  const stamp = zone.format(at).replace(/[: ]/g, '-');
  return `switchboard-${spec.kind}-${stamp}.${spec.format}`;
}
