import { resolve } from 'node:path';
import { type BenchAccount, setUpAccount } from './api-client.ts';
import { type BenchDatabase, freshDatabase } from './databases.ts';
import { type ServerProcess, startServer } from './server-process.ts';

export interface BenchNode {
  base: string;
  server: ServerProcess;
  account: BenchAccount;
  /** The node's database, for a scenario that counts what the node committed. */
  db: BenchDatabase;
  stop(): Promise<void>;
}

/** A fresh database, a real `switchboard start` on it, and an account with an API channel, as a user would set up. */
export async function startBenchNode(
  dialect: 'sqlite' | 'postgres',
  opts: { env?: Record<string, string>; callbackUrl?: string; args?: string[] } = {},
): Promise<BenchNode> {
  const db = await freshDatabase(dialect);
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
    // Callback receivers and fake providers listen on loopback.
    ALLOW_PRIVATE_URLS: '127.0.0.1,localhost,::1',
    ...opts.env,
  };
  // BENCH_CPU_PROF=<dir>: the node writes a V8 CPU profile there when it stops (where its time goes).
  const prof = process.env.BENCH_CPU_PROF;
  const server = await startServer(
    env,
    opts.args,
    prof ? ['--cpu-prof', `--cpu-prof-dir=${resolve(prof)}`] : [],
  );
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const account = await setUpAccount(base, env, opts.callbackUrl);
    return {
      base,
      server,
      account,
      db,
      stop: async () => {
        await server.stop();
        await db.drop();
      },
    };
  } catch (err) {
    await server.stop();
    await db.drop();
    throw err;
  }
}
