import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { displayText } from '@switchboard/shared';
import type ExcelJS from 'exceljs';
import { CSV_BOM, csvLine, neutralizeFormula } from '../../lib/csv.ts';
import type { ExportFormat } from '@switchboard/shared';
import type { Cell, Column } from './export-spec.ts';
import type { ZonedTime } from '../../lib/zoned-time.ts';
import { lazyRequire } from '../../lib/lazy-require.ts';

const excel = lazyRequire<typeof ExcelJS>('exceljs');

/** Excel's limits: characters in a cell, rows in a sheet (one is the header). */
export const XLSX_MAX_CELL = 32_767;
export const XLSX_MAX_ROWS = 1_048_576;
export const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

// XML 1.0 cannot carry these; one of them in a customer's message would make the whole file unreadable.
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function safeText(s: string, max = Number.POSITIVE_INFINITY): string {
  let t = neutralizeFormula(displayText(s.replace(XML_INVALID, '')));
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  return t;
}

/** Writes rows to a stream, in either format; the caller awaits `end()` before the stream is complete. */
export interface RowWriter {
  write(rows: Cell[][]): Promise<void>;
  end(): Promise<void>;
}

export function createRowWriter(
  format: ExportFormat,
  out: Writable,
  sheetName: string,
  columns: Column[],
  zone: ZonedTime,
  maxRowsPerSheet = XLSX_MAX_ROWS,
): RowWriter {
  return format === 'xlsx'
    ? xlsxWriter(out, sheetName, columns, zone, maxRowsPerSheet)
    : csvWriter(out, columns, zone);
}

function csvWriter(out: Writable, columns: Column[], zone: ZonedTime): RowWriter {
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      // Honour backpressure: wait for the consumer before producing the next page.
      if (out.write(chunk)) resolve();
      else {
        out.once('drain', resolve);
        out.once('error', reject);
      }
    });
  let started = false;
  return {
    async write(rows) {
      let chunk = started ? '' : CSV_BOM + csvLine(columns.map((c) => c.header));
      started = true;
      for (const r of rows) {
        chunk += csvLine(
          r.map((v, i) => {
            if (v === null) return null;
            const t = columns[i]!.type;
            if (t === 'date') return zone.format(v as number);
            return t === 'number' ? (v as number) : (v as string);
          }),
        );
      }
      await write(chunk);
    },
    async end() {
      if (!started) await this.write([]);
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(resolve);
      });
    },
  };
}

/** Buffered-but-uncompressed bytes allowed before the next page is read. */
const ZIP_HIGH_WATER = 8 * 1024 * 1024;

/**
 * exceljs's sheet stream writes into the zip's deflate stream without honouring its backpressure, so
 * rows produced faster than they compress pile up in memory (a million messages reached ~900 MB).
 * Waiting here for the deflate stream to drain keeps memory flat. `stream.pipes` is exceljs 4 internals.
 */
async function compressorCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: LegacyWritable[] } }).stream?.pipes ?? [];
  for (const p of pipes) {
    while (buffered(p) > ZIP_HIGH_WATER && !p.destroyed) await once(p, 'drain');
  }
}

/** archiver hands exceljs a readable-stream v2 PassThrough, which predates `writableLength`. */
type LegacyWritable = Writable & { _writableState?: { length?: number } };

function buffered(p: LegacyWritable): number {
  return p.writableLength ?? p._writableState?.length ?? 0;
}

/**
 * exceljs's streaming writer: each committed row is serialised and zipped straight into `out`, so memory
 * holds one page of rows, not the workbook. Past Excel's row limit the rows go on in a new sheet.
 */
function xlsxWriter(
  out: Writable,
  sheetName: string,
  columns: Column[],
  zone: ZonedTime,
  maxRows: number,
): RowWriter {
  const wb = new (excel().stream.xlsx.WorkbookWriter)({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  let sheet: ExcelJS.Worksheet | undefined;
  let sheetNo = 0;
  let rowsInSheet = 0;
  const newSheet = () => {
    sheet?.commit();
    sheetNo++;
    sheet = wb.addWorksheet(sheetNo === 1 ? sheetName : `${sheetName} (${sheetNo})`, {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = columns.map((c) => ({
      header: c.header,
      width: c.width,
      style: c.type === 'date' ? { numFmt: DATE_FORMAT } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    rowsInSheet = 1;
  };
  return {
    async write(rows) {
      if (!sheet) newSheet();
      for (const r of rows) {
        if (rowsInSheet >= maxRows) newSheet();
        const values = r.map((v, i) => {
          if (v === null) return null;
          const t = columns[i]!.type;
          if (t === 'date') return zone.wallClock(v as number);
          if (t === 'number') return v as number;
          return safeText(String(v), XLSX_MAX_CELL);
        });
        sheet!.addRow(values).commit();
        rowsInSheet++;
      }
      await compressorCaughtUp(sheet!);
    },
    async end() {
      if (!sheet) newSheet();
      sheet!.commit();
      await wb.commit();
    },
  };
}
