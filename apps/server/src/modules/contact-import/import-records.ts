import type { Readable } from 'node:stream';
import type { ImportFormat } from '@switchboard/shared';
import { CsvReadError, type CsvRecord } from '@switchboard/shared/csv';
import { streamCsvRecords, utf8Chunks } from '@switchboard/shared/csv-stream';
import type ExcelJS from 'exceljs';
import { DomainError } from '../../lib/domain-error.ts';
import { lazyRequire } from '../../lib/lazy-require.ts';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/**
 * The records of an uploaded file, one at a time (never the whole file in memory), the header first:
 * CSV through the streaming reader, XLSX through exceljs's streaming WorkbookReader (the first sheet).
 * `row` is the row number a spreadsheet shows. A file that cannot be read throws a DomainError.
 */
export async function* importRecords(bytes: Readable, format: ImportFormat): AsyncGenerator<CsvRecord> {
  if (format === 'csv') {
    try {
      for await (const r of streamCsvRecords(utf8Chunks(bytes))) yield r;
    } catch (err) {
      if (err instanceof CsvReadError)
        throw new DomainError('validation_error', `Row ${err.row}: ${err.message}`, { row: err.row });
      if (err instanceof TypeError && /encoded|decode/i.test(err.message))
        throw new DomainError(
          'validation_error',
          'The file is not UTF-8 text; save it as "CSV UTF-8" (Excel) or choose UTF-8 when exporting',
        );
      throw err;
    }
    return;
  }
  yield* xlsxRecords(bytes);
}

async function* xlsxRecords(bytes: Readable): AsyncGenerator<CsvRecord> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(bytes, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.every((c) => c.trim() === '')) continue;
        yield { row: row.number, cells };
      }
      // The first sheet is the list; the rest (notes, pivot tables) are not contacts.
      return;
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError(
      'validation_error',
      `The file is not a readable XLSX workbook: ${(err as Error).message}`,
    );
  }
}

/** A cell as the text a person sees: numbers without exponent, dates as ISO, rich text joined. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return '';
  }
  return String(v);
}
