import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/domain-error.ts';
import { decodeCsv, detectDelimiter, parseCsvTable } from './csv-records.ts';
import { e164, normalizeExternalId } from './external-id.ts';
import { streamCsvRecords } from '@switchboard/shared/csv-stream';
import { checkRow, csvRawRows, isProblem, mapHeader, rawRowOf } from './import-row.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('CSV records', () => {
  it('drops a BOM, detects semicolons, keeps quoted separators, quotes and line breaks', () => {
    const text = decodeCsv(utf8('\uFEFFname;phone;labels\r\n"Иванов; Иван";+7 900 1;"VIP|""Опт"""\r\n'));
    const t = parseCsvTable(text, 10);
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['name', 'phone', 'labels']);
    expect(t.records).toEqual([{ row: 2, cells: ['Иванов; Иван', '+7 900 1', 'VIP|"Опт"'] }]);
  });

  it('counts rows as a spreadsheet does: blank lines skipped but counted, multi-line cells one row', () => {
    const t = parseCsvTable('name,phone\n\nAda,"1\n2"\r\rBob,3', 10);
    expect(t.records).toEqual([
      { row: 3, cells: ['Ada', '1\n2'] },
      { row: 5, cells: ['Bob', '3'] },
    ]);
  });

  it('picks the separator from the header row only, outside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('"a,b";c;d\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('externalId')).toBe(',');
  });

  it('refuses text that is not UTF-8, an unclosed quote, a file without rows, and too many rows', () => {
    // "Иван" in Windows-1251.
    expect(() => decodeCsv(new Uint8Array([0xc8, 0xe2, 0xe0, 0xed]))).toThrow(/not UTF-8/);
    expect(() => parseCsvTable('name\n"Ada', 10)).toThrow(/Row 2: a quoted cell is not closed/);
    expect(() => parseCsvTable('\n\n', 10)).toThrow(/empty/);
    const big = `name\n${'x\n'.repeat(11)}`;
    expect(() => parseCsvTable(big, 10)).toThrow(DomainError);
    expect(parseCsvTable(`name\n${'x\n'.repeat(10)}`, 10).records).toHaveLength(10);
  });
});

describe('addresses per channel type', () => {
  it('normalizes phones to what the providers report', () => {
    expect(e164('+1 (555) 123-45-67')).toBe('+15551234567');
    expect(e164('0044 20 7946 0000')).toBe('+442079460000');
    expect(e164('89001234567')).toBeNull();
    expect(normalizeExternalId('twilio_sms', '+7 900 123-45-67')).toEqual({
      ok: true,
      value: '+79001234567',
    });
    expect(normalizeExternalId('twilio_sms', '8 900 123 45 67').ok).toBe(false);
    expect(normalizeExternalId('whatsapp', '+7 900 123-45-67')).toEqual({ ok: true, value: '79001234567' });
    expect(normalizeExternalId('whatsapp', '79001234567')).toEqual({ ok: true, value: '79001234567' });
    expect(normalizeExternalId('whatsapp', 'abc').ok).toBe(false);
  });

  it('takes Telegram chat ids, any API id, and refuses website-chat and unknown types', () => {
    expect(normalizeExternalId('telegram', ' -100123 ')).toEqual({ ok: true, value: '-100123' });
    expect(normalizeExternalId('telegram', '@ivan').ok).toBe(false);
    expect(normalizeExternalId('api', 'crm:42/Иван')).toEqual({ ok: true, value: 'crm:42/Иван' });
    expect(normalizeExternalId('api', 'a\u0000b').ok).toBe(false);
    expect(normalizeExternalId('api', 'x'.repeat(201)).ok).toBe(false);
    expect(normalizeExternalId('widget', 'v1').ok).toBe(false);
    expect(normalizeExternalId('fax', '1').ok).toBe(false);
  });
});

describe('rows', () => {
  const channels = new Map([
    ['sms', { id: 'sms', type: 'twilio_sms' }],
    ['api', { id: 'api', type: 'api' }],
  ]);
  const d = { channels, channelId: 'sms', optIn: false };

  it('maps header spellings (any case, Russian) and lists the columns it ignores', () => {
    expect(mapHeader(['Name', 'E-mail', 'Phone Number', 'external_id', 'Метки', 'Notes', 'opt-in'])).toEqual({
      columns: ['name', 'email', 'phone', 'externalId', 'labels', null, 'optIn'],
      ignored: ['Notes'],
    });
    expect(() => mapHeader(['name', 'email'])).toThrow(/externalId/);
    expect(() => mapHeader(['phone', 'Телефон'])).toThrow(/two columns/);
  });

  it('uses the phone as the SMS address, splits labels at |, reads yes/no in both languages', () => {
    const { rows } = csvRawRows(
      parseCsvTable('name,phone,labels,optIn\nАда,+7 (900) 000-00-01, VIP | опт |VIP,да\n', 10),
    );
    const r = checkRow(rows[0]!, d);
    expect(r).toEqual({
      row: 2,
      name: 'Ада',
      phone: '+7 (900) 000-00-01',
      impliedPhone: '+79000000001',
      email: null,
      channel: { id: 'sms', type: 'twilio_sms' },
      externalId: '+79000000001',
      labels: ['VIP', 'опт'],
      optIn: true,
      attributes: {},
    });
    expect(checkRow({ row: 3, externalId: '+79000000002', optIn: '' }, { ...d, optIn: true })).toMatchObject({
      optIn: true,
    });
    expect(
      checkRow({ row: 3, externalId: '+79000000002', optIn: 'нет' }, { ...d, optIn: true }),
    ).toMatchObject({ optIn: false });
    expect(checkRow({ row: 3, externalId: '+79000000002' }, d)).toMatchObject({ optIn: undefined });
  });

  it('maps columns by a mapping (fields, attributes, left out) and keeps non-empty attribute cells', () => {
    const { columns, ignored } = mapHeader(['Client', 'Код', 'Tier', 'phone', 'Note'], {
      Client: 'name',
      Код: 'externalId',
      Tier: 'attributes.tier',
      phone: null,
    });
    expect(columns).toEqual(['name', 'externalId', 'attributes.tier', null, null]);
    expect(ignored).toEqual(['phone', 'Note']);
    const raw = rawRowOf(2, ['Ada', 'a-1', ' gold ', '+1', 'x'], columns);
    expect(raw).toEqual({ row: 2, name: 'Ada', externalId: 'a-1', attributes: { tier: ' gold ' } });
    const api = { ...d, channels: new Map([['api', { id: 'api', type: 'api' }]]), channelId: 'api' };
    expect(checkRow(raw, api)).toMatchObject({ attributes: { tier: 'gold' } });
    expect(checkRow({ ...raw, attributes: { tier: '  ' } }, api)).toMatchObject({ attributes: {} });
    expect(() => mapHeader(['a', 'b'], { a: 'name', b: 'name' })).toThrow(/two columns mean "name"/);
  });

  it('reads a CSV stream record by record, across chunk edges, with the separator of the header', async () => {
    async function* chunks() {
      yield '\uFEFFname;extern';
      yield 'alId\r\n"Ада; ""A""";1\n\n';
      yield 'Bo;2';
    }
    const got: { row: number; cells: string[] }[] = [];
    for await (const r of streamCsvRecords(chunks())) got.push(r);
    expect(got).toEqual([
      { row: 1, cells: ['name', 'externalId'] },
      { row: 2, cells: ['Ада; "A"', '1'] },
      { row: 4, cells: ['Bo', '2'] },
    ]);
  });

  it('collects every problem of a row into one message', () => {
    const r = checkRow(
      { row: 7, email: 'not-mail', externalId: '123', optIn: 'maybe', labels: 'x'.repeat(65) },
      d,
    );
    expect(isProblem(r)).toBe(true);
    expect((r as { issues: unknown }).issues).toEqual([
      { field: 'email', code: 'invalid', value: 'not-mail' },
      { field: 'labels', code: 'too_long' },
      { field: 'optIn', code: 'invalid', value: 'maybe' },
      { field: 'externalId', code: 'invalid', value: '123', channelType: 'twilio_sms' },
    ]);
    expect((r as { message: string }).message).toBe(
      'email: "not-mail" is not an e-mail address; labels: each at most 64 characters; optIn: "maybe" is not true or false; externalId: "123" is not a phone number with country code (e.g. +15551234567)',
    );
    expect(checkRow({ row: 8, externalId: 'x', channelId: 'nope' }, d)).toMatchObject({
      row: 8,
      message: 'channelId: no channel "nope" in this account',
    });
    expect(checkRow({ row: 9, externalId: 'x' }, { ...d, channelId: undefined })).toMatchObject({
      row: 9,
      message: "channelId: missing (a column, or the import's channelId)",
    });
    expect(checkRow({ row: 10, name: 'No address' }, d)).toEqual({
      row: 10,
      message: 'externalId: missing (or a phone)',
      issues: [{ field: 'externalId', code: 'missing', channelType: 'twilio_sms' }],
    });
  });
});
