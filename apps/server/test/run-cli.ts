import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestApp } from './test-app.ts';

const BIN = resolve(import.meta.dirname, '../bin/switchboard.mjs');

/** Runs `switchboard <args>` as an operator would, against the test app's database and data folder. */
export function runCli(t: TestApp, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: t.db.url,
      DATA_DIR: t.ctx.config.dataDir,
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}
