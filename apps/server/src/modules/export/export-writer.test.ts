import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, parseCsv } from '../../lib/csv.ts';
import type { Column } from './export-spec.ts';
import { createRowWriter, DATE_FORMAT, safeText, XLSX_MAX_CELL } from './export-writer.ts';
import { ZonedTime } from '../../lib/zoned-time.ts';

const COLUMNS: Column[] = [
  { header: 'Text', type: 'text', width: 10 },
  { header: 'When', type: 'date', width: 10 },
  { header: 'N', type: 'number', width: 5 },
];

async function write(
  format: 'xlsx' | 'csv',
  pages: (string | number | null)[][][],
  tz = 'UTC',
  maxRows?: number,
) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = createRowWriter(format, out, 'Rows', COLUMNS, new ZonedTime(tz), maxRows);
  for (const p of pages) await w.write(p);
  await w.end();
  return Buffer.concat(chunks);
}

describe('export writers', () => {
  it('neutralises formula starters and nothing else', () => {
    for (const s of ['=1+1', '+7 999', '-2', '@SUM(A1)', '\t=x', '\r=x'])
      expect(neutralizeFormula(s)).toBe(`'${s}`);
    for (const s of ['1+1', 'a=b', " '=x", '']) expect(neutralizeFormula(s)).toBe(s);
  });

  it('strips characters XML cannot carry and cuts cells at the Excel limit', () => {
    expect(safeText('a\u0000b\u0007c\ud800d\n\te')).toBe('abcd\n\te');
    const long = safeText('x'.repeat(40_000), XLSX_MAX_CELL);
    expect(long.length).toBe(XLSX_MAX_CELL);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows direction overrides as U+FFFD, so a file name cannot pose as another type in XLSX or CSV', async () => {
    expect(safeText('Invoice\u202Egpj.exe')).toBe('Invoice\uFFFDgpj.exe');
    expect(safeText('\u202E=cmd')).toBe('\uFFFD=cmd');
    const csv = (await write('csv', [[['Invoice\u202Egpj.exe', null, 1]]], 'UTC')).toString('utf8');
    expect(csv).toContain('Invoice\uFFFDgpj.exe');
    expect(csv).not.toContain('\u202E');
  });

  it('continues in a new sheet past the row limit, with the header repeated', async () => {
    const t = Date.UTC(2024, 5, 1, 12, 30, 0);
    const file = await write(
      'xlsx',
      [
        [
          ['a', t, 1],
          ['b', t, 2],
        ],
        [
          ['c', null, 3],
          ['=d', t, null],
          ['e', t, 5],
        ],
      ],
      'UTC',
      3,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Rows', 'Rows (2)', 'Rows (3)']);
    const cells = wb.worksheets.map((w) =>
      Array.from({ length: w.rowCount }, (_, r) =>
        Array.from({ length: 3 }, (_, c) => w.getRow(r + 1).getCell(c + 1).value ?? null),
      ),
    );
    expect(cells).toEqual([
      [
        ['Text', 'When', 'N'],
        ['a', new Date(t), 1],
        ['b', new Date(t), 2],
      ],
      [
        ['Text', 'When', 'N'],
        ['c', null, 3],
        ["'=d", new Date(t), null],
      ],
      [
        ['Text', 'When', 'N'],
        ['e', new Date(t), 5],
      ],
    ]);
    expect(wb.worksheets[0]!.getRow(2).getCell(2).numFmt).toBe(DATE_FORMAT);
  });

  it('writes an empty export as a header-only file in both formats', async () => {
    const csv = await write('csv', []);
    expect(parseCsv(csv.toString('utf8'))).toEqual([['Text', 'When', 'N']]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await write('xlsx', [])) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(1);
  });

  it('shows wall-clock time of the zone, across a DST change', async () => {
    const before = Date.UTC(2024, 2, 31, 0, 30); // 01:30 CET
    const after = Date.UTC(2024, 2, 31, 1, 30); // 03:30 CEST
    const csv = parseCsv(
      (
        await write(
          'csv',
          [
            [
              ['x', before, 1],
              ['y', after, 2],
            ],
          ],
          'Europe/Berlin',
        )
      ).toString('utf8'),
    );
    expect(csv.slice(1).map((r) => r[1])).toEqual(['2024-03-31 01:30:00', '2024-03-31 03:30:00']);
    const zone = new ZonedTime('Asia/Kathmandu');
    expect(zone.format(Date.UTC(2024, 0, 1, 0, 0))).toBe('2024-01-01 05:45:00');
    expect(zone.day(Date.UTC(2024, 0, 1, 18, 14))).toBe('2024-01-01');
    expect(zone.day(Date.UTC(2024, 0, 1, 18, 15))).toBe('2024-01-02');
  });
});
