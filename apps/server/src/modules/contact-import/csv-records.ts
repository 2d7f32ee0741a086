import { normaliseText } from '@switchboard/shared';
import { DomainError } from '../../lib/domain-error.ts';

/** One record of a CSV file; `row` counts records as a spreadsheet shows them (the header is row 1). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  delimiter: ',' | ';' | '\t';
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
 * Which separator the file uses: the one of comma, semicolon and tab that occurs most often in the
 * header line outside quotes. Excel writes semicolons where the decimal separator is a comma (Russian
 * and most European locales); a one-column file has none, and comma is then as good as any.
 */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/**
 * RFC 4180 records (double quotes, "" inside quotes, CRLF, LF or CR; quoted cells may span lines).
 * Blank lines are skipped but still counted, so row numbers match what a spreadsheet shows. Stops
 * with an error once there are more than `maxRecords` data rows, before reading the rest.
 */
export function parseCsvTable(text: string, maxRecords: number): CsvTable {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = detectDelimiter(src);
  const records: CsvRecord[] = [];
  let header: string[] | null = null;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let started = false;
  let row = 1;
  let dataRows = 0;

  const endRecord = () => {
    cells.push(cell);
    const blank = cells.length === 1 && cells[0]!.trim() === '' && !started;
    if (!blank) {
      if (header === null) header = cells;
      else {
        dataRows++;
        if (dataRows > maxRecords)
          throw new DomainError('validation_error', `The file has more than ${maxRecords} rows; split it`, {
            maxRows: maxRecords,
          });
        records.push({ row, cells });
      }
    }
    cells = [];
    cell = '';
    started = false;
    row++;
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      // A quote opens a quoted cell only at its start (spaces before it are dropped).
      cell = '';
      quoted = true;
      started = true;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      started = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
    } else {
      cell += ch;
      if (ch !== ' ') started = true;
    }
  }
  if (quoted) throw new DomainError('validation_error', `Row ${row}: a quoted cell is not closed`, { row });
  if (cell !== '' || cells.length > 0) endRecord();
  if (header === null) throw new DomainError('validation_error', 'The file is empty: no header row');
  return { header, delimiter, records };
}
