import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.ts';
import { testDialects } from '../../../test/test-db.ts';
import { parseCsv } from '../../lib/csv.ts';
import type { Corpus } from '../search/search-corpus.fixture.ts';
import { useExportSuite } from './export-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('export boundaries: tenants, teams, audit, CLI (%s)', (dialect) => {
  const { t, exportFile, corpus } = useExportSuite(dialect);
  let c: Corpus;
  beforeAll(() => {
    c = corpus();
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
      const run = (args: string[]) => runCli(t, ['export', ...args]);
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
