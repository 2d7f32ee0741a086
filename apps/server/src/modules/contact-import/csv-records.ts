import { normaliseText } from '@switchboard/shared';
import {
  type CsvDelimiter,
  type CsvRecord,
  CsvReadError,
  detectDelimiter,
  readCsvRecords,
} from '@switchboard/shared/csv';
import { DomainError } from '../../lib/domain-error.ts';

export { type CsvRecord, detectDelimiter } from '@switchboard/shared/csv';

export interface CsvTable {
  header: string[];
  delimiter: CsvDelimiter;
  records: CsvRecord[];
}

/**
 * The file's text: UTF-8, with or without a BOM. Anything else (Windows-1251 from an old Excel) is
 * refused rather than imported as mojibake names.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    // The decoder drops a leading BOM itself; NUL (which PostgreSQL refuses) goes here, once for the file.
    return normaliseText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new DomainError(
      'validation_error',
      'The file is not UTF-8 text; save it as "CSV UTF-8" (Excel) or choose UTF-8 when exporting',
    );
  }
}

/**
 * The header and the data records, read by the shared reader (csv-parse) as the console's preview reads
 * them: the separator taken from the header row, blank lines skipped but still counted so row numbers
 * match what a spreadsheet shows, spaces before a cell dropped, a stray quote kept as text. Refuses a
 * file with more than `maxRecords` data rows.
 */
export function parseCsvTable(text: string, maxRecords: number): CsvTable {
  const delimiter = detectDelimiter(text.startsWith('\uFEFF') ? text.slice(1) : text);
  let all: CsvRecord[];
  try {
    all = readCsvRecords(text, { delimiter, lenient: true });
  } catch (err) {
    if (!(err instanceof CsvReadError)) throw err;
    throw new DomainError('validation_error', `Row ${err.row}: ${err.message}`, { row: err.row });
  }
  const [head, ...records] = all;
  if (!head) throw new DomainError('validation_error', 'The file is empty: no header row');
  if (records.length > maxRecords)
    throw new DomainError('validation_error', `The file has more than ${maxRecords} rows; split it`, {
      maxRows: maxRecords,
    });
  return { header: head.cells, delimiter, records };
}
