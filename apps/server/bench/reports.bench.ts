import { createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { rebuildReports } from '../src/modules/reports/rebuild-reports.ts';
import { scopeOf } from '../src/modules/reports/report-period.ts';
import { overview, timeseries } from '../src/modules/reports/reports.service.ts';
import { freshDatabase } from './lib/databases.ts';
import { seedDataset } from './lib/seed-dataset.ts';
import { startServer } from './lib/server-process.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Reports at size: the read-paths dataset (default 100,000 conversations, 1,000,000 messages over a
 * year), rollups built by `rebuild-reports` (timed), then each report over 90 days timed REPEAT times
 * over HTTP. Baseline in the same run: GET /api/health.
 */
const CONVERSATIONS = Number(process.env.BENCH_REPORT_CONVERSATIONS ?? 100_000);
const MESSAGES = Number(process.env.BENCH_REPORT_MESSAGES ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPORT_REPEAT ?? 30);

export async function reportsBench(dialect: 'sqlite' | 'postgres') {
  const db = await freshDatabase(dialect);
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
  };
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn' }), { migrate: true });
  console.log(`reports (${dialect}): seeding ${CONVERSATIONS} conversations / ${MESSAGES} messages…`);
  const data = await seedDataset(ctx, CONVERSATIONS, MESSAGES, { searchIndex: false });
  console.log(`  seeded in ${data.seedSeconds} s; rebuilding the rollups…`);
  const rebuildStarted = performance.now();
  const rebuilt = await rebuildReports(ctx, data.accountId);
  const rebuildSeconds = round((performance.now() - rebuildStarted) / 1000, 1);
  console.log(`  rebuilt in ${rebuildSeconds} s: ${JSON.stringify(rebuilt)}`);
  await ctx.close();
  const server = await startServer(env);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: data.adminEmail, password: data.adminPassword }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path} → ${res.status} ${body}`);
      return performance.now() - t;
    };
    // 90 days inside the seeded year, across the October DST change in Berlin.
    const period = 'from=2026-08-01&to=2026-10-29&tz=Europe/Berlin';
    const paths: Record<string, string> = {
      'health (baseline)': '/api/health',
      'overview, 90 days': `/api/v1/reports/overview?${period}`,
      'overview, 90 days, with details (next response, waiting, handling)': `/api/v1/reports/overview?${period}&details=true`,
      'overview, 90 days, one channel': `/api/v1/reports/overview?${period}&channel=${data.channelIds[1]}`,
      'overview, 90 days, one operator': `/api/v1/reports/overview?${period}&operator=${data.operatorIds[5]}`,
      'timeseries: conversations_created daily': `/api/v1/reports/timeseries?${period}&metric=conversations_created&interval=day`,
      'timeseries: messages_inbound daily': `/api/v1/reports/timeseries?${period}&metric=messages_inbound&interval=day`,
      'timeseries: first_response_median daily': `/api/v1/reports/timeseries?${period}&metric=first_response_median&interval=day`,
      'operators, 90 days': `/api/v1/reports/operators?${period}`,
      'channels, 90 days': `/api/v1/reports/channels?${period}`,
      'heatmap, 90 days': `/api/v1/reports/heatmap?${period}`,
    };
    const results: Record<string, ReturnType<typeof summarise> & { ratioP95ToBaseline?: number }> = {};
    for (const [name, path] of Object.entries(paths)) {
      await get(path); // warm
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) times.push(await get(path));
      results[name] = summarise(times.map((t) => round(t, 2)));
      console.log(`  ${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms`);
    }
    const baseP95 = results['health (baseline)']!.p95;
    for (const r of Object.values(results)) r.ratioP95ToBaseline = round(r.p95 / baseP95, 1);
    const inProcess = await cpuPerCall(env, data.accountId);
    return {
      scenario: 'reports',
      dialect,
      dataset: { conversations: data.conversations, messages: data.messages, seedSeconds: data.seedSeconds },
      rebuild: { seconds: rebuildSeconds, ...rebuilt },
      repeat: REPEAT,
      results,
      inProcess,
    };
  } finally {
    await server.stop();
    await db.drop();
  }
}

/**
 * The same reports called in this process: CPU milliseconds per call (this process's user + system
 * time, which on SQLite includes the database work) are far less sensitive to other load on the
 * machine than wall-clock latency.
 */
async function cpuPerCall(env: Record<string, string>, accountId: string) {
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn' }));
  try {
    const s = scopeOf(
      accountId,
      { from: '2026-08-01', to: '2026-10-29', tz: 'Europe/Berlin', hours: 'calendar' },
      'UTC',
    );
    const calls: Record<string, () => Promise<unknown>> = {
      'overview, 90 days': () => overview(ctx, s),
      'timeseries: conversations_created daily': () => timeseries(ctx, s, 'conversations_created', 'day'),
      'timeseries: messages_inbound daily': () => timeseries(ctx, s, 'messages_inbound', 'day'),
    };
    const out: Record<string, { cpuMs: number; wallMs: number }> = {};
    for (const [name, call] of Object.entries(calls)) {
      await call();
      const wall = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < REPEAT; i++) await call();
      const used = process.cpuUsage(cpu);
      out[name] = {
        cpuMs: round((used.user + used.system) / 1000 / REPEAT, 1),
        wallMs: round((performance.now() - wall) / REPEAT, 1),
      };
      console.log(`  in process, ${name}: ${out[name].cpuMs} ms CPU, ${out[name].wallMs} ms wall per call`);
    }
    return out;
  } finally {
    await ctx.close();
  }
}
