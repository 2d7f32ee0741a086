import { displayText } from '@switchboard/shared';

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

/** Rows of a CSV text (quoted fields may span lines; a BOM and a trailing newline are ignored). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = text.startsWith(CSV_BOM) ? 1 : 0;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new CsvError('a quote inside an unquoted field', line);
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
      line++;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError('a quoted field is not closed', line);
  if (fieldStarted || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
