import { type CsvDelimiter, detectDelimiter, readCsvRecords } from '@switchboard/shared/csv';

/**
 * The first rows before importing, read by the same reader and rules as the server's import (BOM
 * dropped, separator taken from the header row, RFC 4180 quotes); the server reads the file again itself
 * and is the judge.
 */
export interface CsvPreview {
  header: string[];
  rows: string[][];
  /** Non-blank data rows in the whole file. */
  total: number;
  delimiter: CsvDelimiter;
}

/**
 * Header, the first `keep` data rows, and how many there are; null when there is no header at all or
 * the file cannot be read (the import then says why).
 */
export function previewCsv(input: string, keep = 5): CsvPreview | null {
  const delimiter = detectDelimiter(input.startsWith('\uFEFF') ? input.slice(1) : input);
  let records: ReturnType<typeof readCsvRecords>;
  try {
    records = readCsvRecords(input, { delimiter, lenient: true });
  } catch {
    return null;
  }
  const [head, ...data] = records;
  if (!head) return null;
  return { header: head.cells, rows: data.slice(0, keep).map((r) => r.cells), total: data.length, delimiter };
}
