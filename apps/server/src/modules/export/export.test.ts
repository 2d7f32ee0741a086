import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { at, buildCorpus, type Corpus, DAY0, FORMULA } from '../search/search-corpus.fixture.ts';
import { CSV_BOM, parseCsv } from '../../lib/csv.ts';
import { CONVERSATION_COLUMNS, MESSAGE_COLUMNS } from './export-rows.ts';
import { DATE_FORMAT } from './export-writer.ts';

const dialects = await testDialects();
const BIN = resolve(import.meta.dirname, '../../../bin/switchboard.mjs');
/** Wall-clock time in Moscow (UTC+3, no DST since 2014) as Excel shows it. */
const moscow = (ms: number) => new Date(ms + 3 * 3_600_000);

describe.each(dialects)('export (%s)', (dialect) => {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
    const tz = await t.as(t.admin, 'PUT', '/api/v1/account/time-zone', { timeZone: 'Europe/Moscow' });
    expect(tz.statusCode, tz.body).toBe(200);
    clock.set(at(3, 0));
  });

  async function exportFile(
    s: Session,
    body: unknown,
  ): Promise<{ id: string; file: Buffer; status: Record<string, unknown> }> {
    const start = await t.as(s, 'POST', '/api/v1/exports', body);
    expect(start.statusCode, start.body).toBe(202);
    expect(start.json().status).toBe('pending');
    const id = start.json().id as string;
    await t.drainJobs();
    const status = await t.as(s, 'GET', `/api/v1/exports/${id}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ status: 'done', downloadUrl: `/api/v1/exports/${id}/download` });
    const dl = await t.as(s, 'GET', `/api/v1/exports/${id}/download`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="switchboard-/);
    return { id, file: dl.rawPayload, status: status.json() };
  }

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

  it('keeps exports inside their account and operators inside their teams', async () => {
    const mine = await exportFile(t.admin, { kind: 'messages', format: 'csv' });
    const theirs = await exportFile(c.other.session, { kind: 'messages', format: 'csv' });
    const theirRows = parseCsv(theirs.file.toString('utf8')).slice(1);
    expect(theirRows.map((r) => r[0])).toEqual([c.other.conv]);
    for (const url of [`/api/v1/exports/${mine.id}`, `/api/v1/exports/${mine.id}/download`]) {
      const res = await t.as(c.other.session, 'GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      // An operator of the same account cannot fetch an admin's export either.
      expect((await t.as(c.operator, 'GET', url)).statusCode).toBe(404);
    }
    const list = await t.as(c.other.session, 'GET', '/api/v1/exports');
    expect(list.json().items.map((e: { id: string }) => e.id)).toEqual([theirs.id]);
    const op = await exportFile(c.operator, { kind: 'conversations', format: 'csv' });
    const opConvs = parseCsv(op.file.toString('utf8'))
      .slice(1)
      .map((r) => r[0]);
    expect(opConvs).toEqual([c.conv.maria, c.conv.john, c.conv.petr, c.conv.bob]);
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/exports/${mine.id}/download` });
    expect(anon.statusCode).toBe(401);
  });

  it('records every export and download in the audit log (who, what, from where)', async () => {
    const e = await exportFile(t.admin, { kind: 'messages', format: 'csv', filter: { status: 'open' } });
    const log = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id', 'account_id', 'details', 'ip'])
      .where('target_type', '=', 'export')
      .where('target_id', '=', e.id)
      .orderBy('id')
      .execute();
    expect(log.map((r) => [r.action, r.user_id, r.account_id])).toEqual([
      ['export.created', t.admin.userId, t.admin.accountId],
      ['export.downloaded', t.admin.userId, t.admin.accountId],
    ]);
    expect(JSON.parse(log[0]!.details)).toEqual({
      kind: 'messages',
      format: 'csv',
      filter: { status: 'open' },
      via: 'session',
    });
    expect(log[0]!.ip).toBe('127.0.0.1');
    const listed = await t.as(t.admin, 'GET', `/api/v1/audit-log?action=export.created&targetId=${e.id}`);
    expect(listed.json().items).toHaveLength(1);
  });

  it.runIf(dialect === 'sqlite')(
    'exports from the CLI with a progress line',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-export-'));
      const out = join(dir, 'messages.xlsx');
      const run = (args: string[]) =>
        spawnSync(process.execPath, [BIN, 'export', ...args], {
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: t.db.url,
            DATA_DIR: t.ctx.config.dataDir,
            LOG_LEVEL: 'warn',
          },
          encoding: 'utf8',
          timeout: 60_000,
        });
      const r = run(['--account', t.admin.accountId, '--kind', 'messages', '--out', out, '--q', 'заказ']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/export: 4\/4 messages \(100%\)/);
      expect(r.stderr).toMatch(/export: 4 messages written to /);
      const csvOut = join(dir, 'conv.csv');
      const r2 = run([
        '--account',
        t.admin.accountId,
        '--kind',
        'conversations',
        '--out',
        csvOut,
        '--status',
        'open',
      ]);
      expect(r2.status, r2.stderr).toBe(0);
      expect(parseCsv(readFileSync(csvOut, 'utf8')).length).toBe(6);
      const cliLog = await t.ctx.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'user_id', 'account_id', 'details'])
        .where('action', '=', 'export.created')
        .where('user_id', 'is', null)
        .orderBy('id')
        .execute();
      expect(cliLog.map((r) => JSON.parse(r.details))).toEqual([
        expect.objectContaining({ via: 'cli', kind: 'messages', rows: 4, file: out }),
        expect.objectContaining({ via: 'cli', kind: 'conversations', rows: 5, file: csvOut }),
      ]);
      expect(cliLog.every((r) => r.account_id === t.admin.accountId)).toBe(true);
      const bad = run(['--account', 'nope', '--out', join(dir, 'x.xlsx')]);
      expect(bad.status).toBe(1);
      expect(bad.stderr.trim()).toBe('switchboard: Account nope not found');
      const badKind = run(['--account', t.admin.accountId, '--kind', 'all', '--out', join(dir, 'x.xlsx')]);
      expect(badKind.status).toBe(1);
      expect(badKind.stderr).toMatch(/^switchboard: --kind: /);
    },
    120_000,
  );
});
