import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freshDatabase } from './lib/databases.ts';
import { rssOf, startServer } from './lib/server-process.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Footprint: cold start to ready (fresh database, migrations included, then a warm restart) and idle RSS.
 * Baseline in the same run: a bare Fastify server started the same way (node + tsx).
 */
const RUNS = Number(process.env.BENCH_FOOTPRINT_RUNS ?? 3);

async function baselineStart(): Promise<{ ms: number; rss: number }> {
  const t = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'lib/baseline-server.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((res) => child.stdout!.on('data', (d) => /listening/.test(String(d)) && res()));
  const ms = Date.now() - t;
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssOf(child.pid!);
  child.kill('SIGTERM');
  return { ms, rss };
}

export async function footprintBench(dialect: 'sqlite' | 'postgres') {
  const base: { ms: number; rss: number }[] = [];
  for (let i = 0; i < RUNS; i++) base.push(await baselineStart());
  const cold: number[] = [];
  const warm: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const db = await freshDatabase(dialect);
    const env = {
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
    };
    try {
      const first = await startServer(env);
      cold.push(first.startMs);
      await first.stop();
      const second = await startServer(env);
      warm.push(second.startMs);
      await new Promise((r) => setTimeout(r, 2000));
      idle.push(second.rss());
      await second.stop();
    } finally {
      await db.drop();
    }
  }
  const mb = (b: number) => round(b / 2 ** 20, 1);
  const baseMs = summarise(base.map((b) => b.ms)).p50;
  const warmMs = summarise(warm).p50;
  return {
    scenario: 'footprint',
    dialect,
    coldStartMs: summarise(cold),
    warmStartMs: summarise(warm),
    idleRssMb: summarise(idle.map(mb)),
    baselineStartMs: summarise(base.map((b) => b.ms)),
    baselineIdleRssMb: summarise(base.map((b) => mb(b.rss))),
    warmStartRatioToBaseline: round(warmMs / baseMs, 2),
  };
}
