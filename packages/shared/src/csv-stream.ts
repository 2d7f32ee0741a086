import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type CsvDelimiter, type CsvRecord, CsvReadError, detectDelimiter } from './csv-read.ts';

const REFUSALS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside an unquoted cell',
};

/**
 * The streaming twin of readCsvRecords (server only: a file of 100,000 rows is read record by record,
 * never whole): the same options as the lenient reader, the separator taken from the header line of the
 * first chunk, blank records skipped but counted. Throws CsvReadError where the file cannot be read.
 */
export async function* streamCsvRecords(input: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const it = input[Symbol.asyncIterator]();
  let head = '';
  let first = await it.next();
  // The header line decides the separator; gather chunks until it is complete (or the file ends).
  const chunks: string[] = [];
  while (!first.done) {
    chunks.push(first.value);
    head += first.value;
    if (/[\r\n]/.test(head) || head.length > 1 << 20) break;
    first = await it.next();
  }
  const delimiter: CsvDelimiter = detectDelimiter(head.startsWith('\uFEFF') ? head.slice(1) : head);
  const parser = parse({
    bom: true,
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    ltrim: true,
    skip_empty_lines: false,
  });
  // Back-pressure: wait for the parser to drain, or stop when it is gone (an error, or the reader left).
  const write = async (chunk: string) => {
    if (parser.destroyed) return false;
    if (!parser.write(chunk))
      await new Promise((r) => {
        parser.once('drain', r);
        parser.once('close', r);
      });
    return !parser.destroyed;
  };
  const feed = (async () => {
    try {
      for (const c of chunks) if (!(await write(c))) return;
      if (!first.done) {
        for (let n = await it.next(); !n.done; n = await it.next()) if (!(await write(n.value))) return;
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let seen = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      seen++;
      if (cells.length === 1 && cells[0]!.trim() === '') continue;
      yield { row: seen, cells };
    }
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    throw new CsvReadError((e.code && REFUSALS[e.code]) ?? e.message, e.lines ?? seen + 1, seen + 1);
  } finally {
    if (!parser.writableEnded) parser.destroy();
    await feed;
    await it.return?.();
  }
}

/** UTF-8 text chunks of a byte stream; a byte sequence that is not UTF-8 throws (fatal decoder). */
export async function* utf8Chunks(bytes: Readable | AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const b of bytes as AsyncIterable<Uint8Array>) {
    const s = decoder.decode(b, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
