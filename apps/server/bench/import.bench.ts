import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { newId } from '../src/infra/crypto/ids.ts';
import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import { freshDatabase } from './lib/databases.ts';

/**
 * Contact import memory: `switchboard import-contacts` (the same job code the worker runs: the file
 * streamed into the file store, then read back row by row) on an XLSX of BENCH_IMPORT_ROWS rows, its
 * peak RSS (VmHWM of the CLI process) against the same command on a file of BENCH_IMPORT_SMALL rows in the
 * same run. Bounded memory: the big file's peak stays near the small one's, far from growing with rows.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const SMALL = Number(process.env.BENCH_IMPORT_SMALL ?? 1_000);
const BIN = resolve(import.meta.dirname, '../bin/switchboard.mjs');
const SECRET = 'bench-secret-bench-secret-bench';

async function writeXlsx(file: string, rows: number): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('Contacts');
  ws.addRow(['name', 'phone', 'email', 'externalId', 'labels', 'Tier']).commit();
  for (let i = 1; i <= rows; i++)
    ws.addRow([
      `Customer ${i} ${'Иванов Пётр'.slice(0, (i % 11) + 1)}`,
      `+7900${String(i).padStart(7, '0')}`,
      `customer${i}@example.com`,
      `crm-${i}`,
      i % 3 === 0 ? 'VIP|Опт' : 'Опт',
      ['gold', 'silver', 'bronze'][i % 3],
    ]).commit();
  ws.commit();
  await wb.commit();
  return statSync(file).size;
}

function hwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the CLI, sampling its peak RSS every 50 ms until it exits. */
async function runCli(env: Record<string, string>, args: string[]) {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'import-contacts', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peak = 0;
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const timer = setInterval(() => {
    peak = Math.max(peak, hwm(child.pid!));
  }, 50);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`import-contacts exited ${code}: ${err.slice(-2000)}`);
  return {
    peakRssMb: Math.round(peak / 2 ** 20),
    seconds: (Date.now() - started) / 1000,
    summary: out.split('\n')[0],
  };
}

export async function importBench(dialect: 'sqlite' | 'postgres') {
  const db = await freshDatabase(dialect);
  const env = { DATABASE_URL: db.url, DATA_DIR: db.dataDir, SWITCHBOARD_SECRET: SECRET };
  try {
    const ctx = await createContext(loadConfig({ ...process.env, ...env }), { migrate: true });
    let accountId: string;
    let channelId: string;
    try {
      ({ accountId } = await createAccountWithAdmin(ctx, {
        accountName: 'Bench',
        email: 'bench@example.com',
        password: 'bench password 1',
      }));
      const now = Date.now();
      channelId = newId(now);
      await ctx.db.kysely
        .insertInto('channels')
        .values({
          id: channelId,
          account_id: accountId,
          type: 'api',
          name: 'CRM',
          settings: '{}',
          credentials_enc: ctx.secrets.sealJson({ secret: 'bench-channel-secret' }),
          team_id: null,
          active: 1,
          created_at: now,
          updated_at: now,
          webhook_seen_at: null,
          health_issue: null,
          health_detail: null,
          health_at: null,
        })
        .execute();
    } finally {
      await ctx.close();
    }
    const run = async (rows: number, source: string) => {
      const file = join(db.dataDir, `contacts-${rows}.xlsx`);
      const bytes = await writeXlsx(file, rows);
      const args = ['--account', accountId, '--channel', channelId, '--source', source];
      const mapping = JSON.stringify({ Tier: 'attributes.tier' });
      return {
        rows,
        fileMb: Math.round((bytes / 2 ** 20) * 10) / 10,
        ...(await runCli(env, [...args, '--mapping', mapping, file])),
      };
    };
    const small = await run(SMALL, 'bench small');
    const big = await run(ROWS, 'bench big');
    const result = {
      scenario: 'import',
      dialect,
      small,
      big,
      peakRatio: Math.round((big.peakRssMb / small.peakRssMb) * 100) / 100,
      rowsPerSecond: Math.round(big.rows / big.seconds),
    };
    console.log(
      `import (${dialect}): ${big.rows} rows (${big.fileMb} MB XLSX) peak RSS ${big.peakRssMb} MB in ${big.seconds}s ` +
        `(${result.rowsPerSecond} rows/s); ${small.rows} rows: ${small.peakRssMb} MB; ratio ${result.peakRatio}`,
    );
    return result;
  } finally {
    await db.drop();
  }
}
