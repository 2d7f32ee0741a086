import { describe, expect, it } from 'vitest';
import { CsvReadError, readCsvRecords } from './csv-read.ts';

describe('the shared CSV reader', () => {
  it('reads mixed line ends, a BOM, quotes across lines and numbers rows with blank lines counted', () => {
    expect(readCsvRecords('\uFEFFa,b\r\n\r\n"x\r\ny","say ""hi"""\r3,4\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 3, cells: ['x\r\ny', 'say "hi"'] },
      { row: 4, cells: ['3', '4'] },
    ]);
  });

  it('refuses a stray quote unless lenient, where spaces before a quoted cell are dropped too', () => {
    expect(() => readCsvRecords('a\nq"r\n')).toThrow(/a quote inside an unquoted cell/);
    expect(readCsvRecords('a;b\nq"r; "s; t"\n', { delimiter: ';', lenient: true })[1]).toEqual({
      row: 2,
      cells: ['q"r', 's; t'],
    });
  });

  it('says where a quoted cell is left open: the line it opens on and the record', () => {
    let caught: unknown;
    try {
      readCsvRecords('a\n"x\ny"\n\n"open\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvReadError);
    expect(caught).toMatchObject({ message: 'a quoted cell is not closed', row: 4, line: 5 });
  });
});
