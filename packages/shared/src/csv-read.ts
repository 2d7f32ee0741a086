import { parse } from 'csv-parse/browser/esm/sync';

/**
 * The one CSV reader (csv-parse) of the server's imports and the console's preview: RFC 4180 double
 * quotes ("" inside quotes), CRLF, LF or CR between records (mixed in one file too), quoted cells that
 * span lines, a UTF-8 BOM dropped. The browser build of csv-parse runs on Node as well.
 */
export type CsvDelimiter = ',' | ';' | '\t';

/** One record; `row` counts records as a spreadsheet shows them (blank lines counted, the first is 1). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/** A file the reader cannot take, with the physical line of the fault (where an open quote opened) and its record. */
export class CsvReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly row: number,
  ) {
    super(message);
  }
}

/**
 * Which separator the file uses: the one of comma, semicolon and tab that occurs most often in the
 * header line outside quotes. Excel writes semicolons where the decimal separator is a comma (Russian
 * and most European locales); a one-column file has none, and comma is then as good as any.
 */
export function detectDelimiter(text: string): CsvDelimiter {
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

const REFUSALS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside an unquoted cell',
};

export interface CsvReadOptions {
  delimiter?: CsvDelimiter;
  /**
   * Files people write by hand (contact imports): spaces before a cell are dropped, so `a, "b, c"` is
   * two cells, and a quote inside an unquoted cell is kept as text. Without it such a quote is refused.
   */
  lenient?: boolean;
}

/**
 * The non-blank records of a CSV text (a blank line is one empty or all-space cell: `;;` is a record of
 * empty cells), numbered as a spreadsheet shows them. Throws CsvReadError for a file it cannot read.
 */
export function readCsvRecords(text: string, opts: CsvReadOptions = {}): CsvRecord[] {
  let seen = 0;
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: opts.delimiter ?? ',',
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: opts.lenient === true,
      ltrim: opts.lenient === true,
      skip_empty_lines: false,
      on_record: (record: string[]) => {
        seen++;
        return record;
      },
    }) as string[][];
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    const words = (e.code && REFUSALS[e.code]) ?? e.message;
    throw new CsvReadError(words, e.lines ?? seen + 1, seen + 1);
  }
  const records: CsvRecord[] = [];
  rows.forEach((cells, i) => {
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ row: i + 1, cells });
  });
  return records;
}
