/**
 * Enough of a CSV reader to show the first rows before importing: the server reads the file again
 * itself and is the judge (same rules: BOM dropped, separator taken from the header row, RFC 4180 quotes).
 */
export interface CsvPreview {
  header: string[];
  rows: string[][];
  /** Non-blank data rows in the whole file. */
  total: number;
  delimiter: ',' | ';' | '\t';
}

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

/** Header, the first `keep` data rows, and how many there are; null when there is no header at all. */
export function previewCsv(input: string, keep = 5): CsvPreview | null {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const delimiter = detectDelimiter(text);
  let header: string[] | null = null;
  const rows: string[][] = [];
  let total = 0;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  const end = () => {
    cells.push(cell);
    // As the server counts: only a line with nothing on it is blank (";;" is a row of empty cells).
    const blank = cells.length === 1 && cells[0]!.trim() === '';
    if (!blank) {
      if (header === null) header = cells;
      else {
        total++;
        if (rows.length < keep) rows.push(cells);
      }
    }
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      end();
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) end();
  if (header === null) return null;
  return { header, rows, total, delimiter };
}
