import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectName } from '../../src/infra/db/database.ts';
import { runCli } from '../../test/node-process.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.ts';

export const ADMIN = { email: 'admin@faults.example.com', password: 'fault-injection-password' };

/**
 * A scenario's world: a fresh migrated database (SQLite file, or a private PostgreSQL schema that child
 * processes reach through PGOPTIONS), a data folder, the environment for `switchboard start`, and an
 * account with an admin created with the CLI as an operator would.
 */
export interface FaultEnvironment {
  dialect: DialectName;
  /** The scenario's own connection, for counting what was stored. */
  db: TestDatabase;
  dataDir: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createEnvironment(
  dialect: DialectName,
  extra: Record<string, string> = {},
): Promise<FaultEnvironment> {
  const db = await createTestDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-faults-'));
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    ...(db.schema ? { PGOPTIONS: `-c search_path=${db.schema}` } : {}),
    SWITCHBOARD_SECRET: 'fault-injection-secret-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Fake providers, callback receivers and fault proxies listen on loopback.
    ALLOW_PRIVATE_URLS: '127.0.0.1,localhost,::1',
    ...extra,
  };
  const cleanup = async () => {
    await db.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const r = await runCli(
      ['create-admin', '--email', ADMIN.email, '--password', ADMIN.password, '--account', 'Faults'],
      env,
      dataDir,
    );
    if (r.code !== 0) throw new Error(`create-admin failed:\n${r.output}`);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dialect, db, dataDir, env, cleanup };
}
