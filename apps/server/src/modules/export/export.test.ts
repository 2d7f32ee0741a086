import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/test-db.ts';
import { at, type Corpus, FORMULA } from '../search/search-corpus.fixture.ts';
import { CSV_BOM, parseCsv } from '../../lib/csv.ts';
import { CONVERSATION_COLUMNS, MESSAGE_COLUMNS } from './export-rows.ts';
import { useExportSuite } from './export-test-kit.ts';
import { DATE_FORMAT } from './export-writer.ts';

const dialects = await testDialects();
/** Wall-clock time in Moscow (UTC+3, no DST since 2014) as Excel shows it. */
const moscow = (ms: number) => new Date(ms + 3 * 3_600_000);

describe.each(dialects)('export (%s)', (dialect) => {
  const { t, clock, corpus, exportFile } = useExportSuite(dialect);
  let c: Corpus;
  beforeAll(() => {
    c = corpus();
  });

  async function readSheet(file: Buffer): Promise<ExcelJS.Worksheet> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBe(1);
    return wb.worksheets[0]!;
  }

  const values = (ws: ExcelJS.Worksheet, row: number) =>
    Array.from({ length: ws.columnCount }, (_, i) => ws.getRow(row).getCell(i + 1).value ?? null);
  /** The account's messages in export order; other modules may add system lines, so read them back. */
  const messagesInOrder = async (accountId: string) =>
    await t.ctx.db.kysely
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'direction', 'private', 'content_kind'])
      .where('account_id', '=', accountId)
      .orderBy('conversation_id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const rowOf = (ws: ExcelJS.Worksheet, messageId: string) => {
    for (let r = 2; r <= ws.rowCount; r++)
      if (ws.getRow(r).getCell(2).value === messageId) return values(ws, r);
    throw new Error(`no row for ${messageId}`);
  };

  it('writes one XLSX row per message, cell by cell: real dates in the account zone, safe text', async () => {
    const { file, status } = await exportFile(t.admin, { kind: 'messages', format: 'xlsx' });
    const all = await messagesInOrder(t.admin.accountId);
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(status).toMatchObject({ rowsDone: all.length, rowsTotal: all.length });
    const ws = await readSheet(file);
    expect(ws.name).toBe('Messages');
    expect(values(ws, 1)).toEqual(MESSAGE_COLUMNS.map((col) => col.header));
    expect(ws.rowCount).toBe(all.length + 1);
    // Conversation order (Maria, John, Petr, Alice, Bob), each thread oldest first.
    const column2 = Array.from({ length: all.length }, (_, i) => ws.getRow(i + 2).getCell(2).value);
    expect(column2).toEqual(all.map((m) => m.id));
    expect([...new Set(all.map((m) => m.conversation_id))]).toEqual(
      ['maria', 'john', 'petr', 'alice', 'bob'].map((k) => c.conv[k]),
    );
    expect(rowOf(ws, c.msg.m1!)).toEqual([
      c.conv.maria,
      c.msg.m1,
      moscow(at(0, 20)),
      'in',
      'Мария Иванова',
      'contact',
      'Shop',
      'text',
      null,
      'Где мой заказ? Жду уже неделю',
      null,
      null,
      null,
    ]);
    expect(rowOf(ws, c.msg.reply!)).toEqual([
      c.conv.maria,
      c.msg.reply,
      moscow(at(2, 12)),
      'out',
      'Ada Admin',
      'user',
      'Shop',
      'text',
      null,
      'Ваш заказ отправлен курьером',
      expect.any(String),
      null,
      null,
    ]);
    expect(rowOf(ws, c.msg.note!).slice(0, 10)).toEqual([
      c.conv.john,
      c.msg.note,
      moscow(at(2, 13)),
      'out',
      'Ada Admin',
      'user',
      'Shop',
      'text',
      'yes',
      'VIP client, order refund pending',
    ]);
    const time = ws.getRow(2).getCell(3);
    expect(time.type).toBe(ExcelJS.ValueType.Date);
    expect(time.numFmt).toBe(DATE_FORMAT);
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(2).value).toBe(c.msg.m7);
    expect(last.getCell(10).type).toBe(ExcelJS.ValueType.String);
    expect(last.getCell(10).value).toBe(`'${FORMULA}`);
  });

  it('writes one XLSX row per conversation with counts, people, labels and first response', async () => {
    const { file } = await exportFile(t.admin, { kind: 'conversations' });
    const ws = await readSheet(file);
    const count = async (conv: string) => {
      // System lines (the assignment's) are history: neither messages nor notes.
      const ms = (await messagesInOrder(t.admin.accountId)).filter(
        (m) => m.conversation_id === conv && m.content_kind !== 'system',
      );
      const notes = ms.filter((m) => m.private === 1).length;
      const inbound = ms.filter((m) => m.private === 0 && m.direction === 'in').length;
      return [ms.length, inbound, ms.length - notes - inbound, notes];
    };
    expect(values(ws, 1)).toEqual(CONVERSATION_COLUMNS.map((col) => col.header));
    expect(ws.rowCount).toBe(6);
    expect(values(ws, 2)).toEqual([
      c.conv.maria,
      'Shop',
      'api',
      'Мария Иванова',
      "'+7 999 000-11-22",
      null,
      'api:cust-maria',
      'open',
      'none',
      'Ada Admin',
      null,
      null,
      moscow(at(0, 20)),
      40 * 3600,
      null,
      moscow(at(2, 12)),
      ...(await count(c.conv.maria!)),
      // CSAT and its comment: no survey answered.
      null,
      null,
    ]);
    const john = values(ws, 3);
    expect(john[0]).toBe(c.conv.john);
    expect(john.slice(3, 6)).toEqual(['John Smith', null, 'john.smith@example.com']);
    expect(john.slice(11, 12)).toEqual(['refund']);
    expect(john.slice(16, 20)).toEqual(await count(c.conv.john!));
    const alice = values(ws, 5);
    expect(alice.slice(0, 3)).toEqual([c.conv.alice, 'VIP line', 'api']);
    expect(alice[10]).toBe('VIP desk');
    expect(ws.getRow(2).getCell(14).type).toBe(ExcelJS.ValueType.Number);
  });

  it('writes CSV with a BOM, local times as text and neutralised formulas', async () => {
    const { file } = await exportFile(t.admin, { kind: 'messages', format: 'csv' });
    const text = file.toString('utf8');
    expect(text.startsWith(CSV_BOM)).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(MESSAGE_COLUMNS.map((col) => col.header));
    expect(rows.slice(1).map((r) => r[1])).toEqual(
      (await messagesInOrder(t.admin.accountId)).map((m) => m.id),
    );
    expect(rows[1]!.slice(0, 6)).toEqual([
      c.conv.maria,
      c.msg.m1,
      '2024-03-10 23:00:00',
      'in',
      'Мария Иванова',
      'contact',
    ]);
    expect(rows[1]![9]).toBe('Где мой заказ? Жду уже неделю');
    expect(rows[rows.length - 1]![9]).toBe(`'${FORMULA}`);
  });

  it('applies filters and the full-text query to both kinds', async () => {
    const q = await exportFile(t.admin, { kind: 'messages', format: 'csv', filter: { q: 'заказ' } });
    const ids = parseCsv(q.file.toString('utf8'))
      .slice(1)
      .map((r) => r[1]);
    expect(ids).toEqual([c.msg.m1, c.msg.m6, c.msg.reply, c.msg.m3]);
    const convs = await exportFile(t.admin, {
      kind: 'conversations',
      format: 'csv',
      filter: { q: 'kettle' },
    });
    expect(
      parseCsv(convs.file.toString('utf8'))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([c.conv.john, c.conv.alice]);
    const labelled = await exportFile(t.admin, {
      kind: 'messages',
      format: 'csv',
      filter: { label: 'refund' },
    });
    expect(
      parseCsv(labelled.file.toString('utf8'))
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(
      (await messagesInOrder(t.admin.accountId))
        .filter((m) => m.conversation_id === c.conv.john)
        .map((m) => m.id),
    );
    const vip = await exportFile(t.admin, {
      kind: 'conversations',
      format: 'csv',
      filter: { channel: c.vip.id },
    });
    expect(
      parseCsv(vip.file.toString('utf8'))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([c.conv.alice]);
    const bad = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'messages', filter: { q: '...' } });
    expect(bad.statusCode).toBe(400);
    const badKind = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'everything' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.code).toBe('validation_error');
  });

  it("honours the list's attribute and SLA state filters, as GET /conversations does", async () => {
    const k = t.ctx.db.kysely;
    const john = c.conv.john!;
    const alice = c.conv.alice!;
    await k
      .updateTable('conversations')
      .set({ attributes: JSON.stringify({ tier: 'gold' }) })
      .where('id', '=', john)
      .execute();
    // Alice's target is overdue at the export's time; John's falls due in a day.
    const due = (id: string, dueAt: number) =>
      k
        .updateTable('conversations')
        .set({ sla_policy_id: 'p1', sla_metric: 'first_response', sla_due_at: dueAt, sla_breached: 0 })
        .where('id', '=', id)
        .execute();
    await due(alice, clock.now() - 60_000);
    await due(john, clock.now() + 86_400_000);
    const exported = async (filter: Record<string, string>) =>
      parseCsv(
        (await exportFile(t.admin, { kind: 'conversations', format: 'csv', filter })).file.toString('utf8'),
      )
        .slice(1)
        .map((r) => r[0]);
    const listed = async (qs: string) =>
      (await t.as(t.admin, 'GET', `/api/v1/conversations?${qs}`))
        .json()
        .items.map((x: { id: string }) => x.id);
    try {
      expect(await exported({ attribute: 'tier:gold' })).toEqual([john]);
      expect(await exported({ slaState: 'breached' })).toEqual([alice]);
      expect(await exported({ slaState: 'on_track', attribute: 'tier:gold' })).toEqual([john]);
      expect(await exported({ slaState: 'breached', attribute: 'tier:gold' })).toEqual([]);
      expect((await exported({ slaState: 'none' })).sort()).toEqual((await listed('slaState=none')).sort());
      const msgs = await exportFile(t.admin, {
        kind: 'messages',
        format: 'csv',
        filter: { slaState: 'breached' },
      });
      expect(
        new Set(
          parseCsv(msgs.file.toString('utf8'))
            .slice(1)
            .map((r) => r[0]),
        ),
      ).toEqual(new Set([alice]));
      const bad = await t.as(t.admin, 'POST', '/api/v1/exports', {
        kind: 'messages',
        filter: { attribute: 'tier' },
      });
      expect(bad.statusCode).toBe(400);
      const badState = await t.as(t.admin, 'POST', '/api/v1/exports', {
        kind: 'messages',
        filter: { slaState: 'late' },
      });
      expect(badState.statusCode).toBe(400);
    } finally {
      await k
        .updateTable('conversations')
        .set({ attributes: '{}', sla_policy_id: null, sla_metric: null, sla_due_at: null })
        .where('id', 'in', [john, alice])
        .execute();
    }
  });
});
