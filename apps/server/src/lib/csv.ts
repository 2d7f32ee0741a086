import { displayText } from '@switchboard/shared';
import { CsvReadError, readCsvRecords } from '@switchboard/shared/csv';

/**
 * CSV as spreadsheets read it (RFC 4180: comma, double quotes, CRLF). Files start with a UTF-8 BOM so
 * Excel opens Cyrillic text correctly.
 */
export const CSV_BOM = '\uFEFF';

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab/CR that hides one) as a formula: a customer
 * writing `=HYPERLINK(...)` must not get code into an operator's Excel. A leading apostrophe makes it text.
 */
export function neutralizeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  // Direction overrides and control characters show as U+FFFD in a spreadsheet too (see displayText).
  const s = typeof v === 'number' ? String(v) : neutralizeFormula(displayText(v));
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(fields: (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Rows of a CSV file this server wrote or a program made (quoted fields may span lines; a BOM and blank
 * lines are ignored); a quote inside an unquoted field is refused. Read by the shared reader (csv-parse).
 */
export function parseCsv(text: string): string[][] {
  try {
    return readCsvRecords(text).map((r) => r.cells);
  } catch (err) {
    if (err instanceof CsvReadError) throw new CsvError(err.message, err.line);
    throw err;
  }
}
