import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { freshDatabase } from './lib/databases.ts';
import { cpuMsOf, rssOf, startServer } from './lib/server-process.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Footprint: cold start to ready (fresh database, migrations included, then a warm restart) and idle RSS
 * with the console served (one request for the console page and one for the API before sampling).
 * Baseline in the same run, interleaved run by run so the machine's drift hits both alike: a bare
 * Fastify server in plain JavaScript started by plain node — what the production start (the compiled
 * dist/, see apps/server/scripts/build.mjs) is compared against.
 */
const RUNS = Number(process.env.BENCH_FOOTPRINT_RUNS ?? 3);

async function baselineStart(): Promise<{ ms: number; cpuMs: number; rss: number }> {
  const t = Date.now();
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'lib/baseline-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res) => child.stdout!.on('data', (d) => /listening/.test(String(d)) && res()));
  const ms = Date.now() - t;
  const cpuMs = cpuMsOf(child.pid!);
  await new Promise((r) => setTimeout(r, 2000));
  const rss = rssOf(child.pid!);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, cpuMs, rss };
}

async function touch(port: number): Promise<void> {
  for (const path of ['/', '/api/health']) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  }
}

export async function footprintBench(dialect: 'sqlite' | 'postgres') {
  // What `npm start` does first: the measured starts then run the compiled dist/, not the sources.
  const built = spawnSync(process.execPath, [resolve(import.meta.dirname, '../scripts/ensure-built.mjs')], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('apps/server: the build failed');
  const base: { ms: number; cpuMs: number; rss: number }[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const coldCpu: number[] = [];
  const warmCpu: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(await baselineStart());
    const db = await freshDatabase(dialect);
    const env = {
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
    };
    try {
      const first = await startServer(env);
      cold.push(first.startMs);
      coldCpu.push(first.startCpuMs);
      await first.stop();
      const second = await startServer(env);
      warm.push(second.startMs);
      warmCpu.push(second.startCpuMs);
      await touch(second.port);
      await new Promise((r) => setTimeout(r, 2000));
      idle.push(second.rss());
      await second.stop();
    } finally {
      await db.drop();
    }
  }
  const mb = (b: number) => round(b / 2 ** 20, 1);
  const baseMs = summarise(base.map((b) => b.ms)).p50;
  const baseRss = summarise(base.map((b) => mb(b.rss))).p50;
  return {
    scenario: 'footprint',
    dialect,
    coldStartMs: summarise(cold),
    warmStartMs: summarise(warm),
    idleRssMb: summarise(idle.map(mb)),
    baselineStartMs: summarise(base.map((b) => b.ms)),
    baselineIdleRssMb: summarise(base.map((b) => mb(b.rss))),
    coldStartRatioToBaseline: round(summarise(cold).p50 / baseMs, 2),
    warmStartRatioToBaseline: round(summarise(warm).p50 / baseMs, 2),
    idleRssRatioToBaseline: round(summarise(idle.map(mb)).p50 / baseRss, 2),
    // CPU used until ready (user + system, all threads): what the start costs regardless of the load.
    coldStartCpuMs: summarise(coldCpu),
    warmStartCpuMs: summarise(warmCpu),
    baselineStartCpuMs: summarise(base.map((b) => b.cpuMs)),
    coldStartCpuRatioToBaseline: round(summarise(coldCpu).p50 / summarise(base.map((b) => b.cpuMs)).p50, 2),
    warmStartCpuRatioToBaseline: round(summarise(warmCpu).p50 / summarise(base.map((b) => b.cpuMs)).p50, 2),
  };
}
