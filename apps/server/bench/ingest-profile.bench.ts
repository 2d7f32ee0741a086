import { appendFileSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { setUpAccount } from './lib/api-client.ts';
import { selfTimes } from './lib/cpu-profile.ts';
import { freshDatabase } from './lib/databases.ts';
import { countRows } from './lib/db-count.ts';
import { cpuMsOf, startServer } from './lib/server-process.ts';
import { round } from './lib/stats.ts';
import { signedRequests } from './ingest.bench.ts';

const MESSAGES = Number(process.env.BENCH_PROFILE_MESSAGES ?? 4000);
const CONNECTIONS = Number(process.env.BENCH_PROFILE_CONNECTIONS ?? 16);

/**
 * The two halves of ingest apart, each in its own process under `node --cpu-prof`: a `switchboard
 * serve` node acknowledges MESSAGES signed webhooks (the acknowledged path alone), then a `switchboard
 * worker` on the same database turns the backlog into messages (processing alone). Reports each half's
 * rate, CPU milliseconds per webhook / per processed message, the share of wall time the process was
 * busy (CPU-bound or waiting), and the top self-time functions.
 */
export async function ingestProfileBench(dialect: 'sqlite' | 'postgres') {
  const db = await freshDatabase(dialect);
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
  };
  const prof = (dir: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  const load = { before: loadavg()[0]! };
  try {
    const httpDir = mkdtempSync(join(tmpdir(), 'sb-prof-http-'));
    const serve = await startServer(env, ['serve'], prof(httpDir));
    const base = `http://127.0.0.1:${serve.port}`;
    const acc = await setUpAccount(base, env);
    const cpu0 = cpuMsOf(serve.pid);
    const t0 = performance.now();
    const r = await autocannon({
      url: `${base}/webhooks/api/${acc.channelId}`,
      connections: CONNECTIONS,
      amount: MESSAGES,
      requests: [{ method: 'POST', setupRequest: signedRequests(acc.secret, 'prof') as never }],
    });
    const httpWall = performance.now() - t0;
    const httpCpu = cpuMsOf(serve.pid) - cpu0;
    await serve.stop();
    const acked = MESSAGES - r.non2xx - r.errors;

    // PostgreSQL counts committed transactions: how many the processing took per message.
    const commits = () =>
      dialect === 'postgres'
        ? countRows(db, 'select xact_commit from pg_stat_database where datname = current_database()')
        : Promise.resolve(0);
    const commits0 = await commits();
    const workDir = mkdtempSync(join(tmpdir(), 'sb-prof-worker-'));
    const worker = await startServer(env, ['worker'], prof(workDir));
    // The worker's log beside its profile (warnings such as a shared transaction split).
    const log = join(workDir, 'worker.log');
    worker.child.stdout!.on('data', (d: Buffer) => appendFileSync(log, d));
    worker.child.stderr!.on('data', (d: Buffer) => appendFileSync(log, d));
    const w0 = performance.now();
    const c0 = cpuMsOf(worker.pid);
    let polls = 0;
    const processed = () => {
      polls++;
      return countRows(db, 'select count(*) as n from inbound_events where processed_at is not null');
    };
    const deadline = Date.now() + 600_000;
    while ((await processed()) < acked && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 50));
    const workWall = performance.now() - w0;
    const workCpu = cpuMsOf(worker.pid) - c0;
    const done = await processed();
    // Less this bench's own polling queries (one transaction each, and the counting one).
    const commitsPerMessage = ((await commits()) - commits0 - polls - 1) / Math.max(1, done);
    await worker.stop();
    const http = selfTimes(httpDir);
    const work = selfTimes(workDir);
    return {
      scenario: 'ingest-profile',
      dialect,
      loadAverage: { ...load, after: loadavg()[0]! },
      acknowledged: {
        webhooks: acked,
        perSecond: round(acked / (httpWall / 1000), 1),
        p99: r.latency.p99,
        cpuMsPerWebhook: round(httpCpu / acked, 3),
        busyShare: round(httpCpu / httpWall, 2),
        top: http.top,
      },
      processing: {
        messages: done,
        perSecond: round(done / (workWall / 1000), 1),
        cpuMsPerMessage: round(workCpu / Math.max(1, done), 3),
        busyShare: round(workCpu / workWall, 2),
        ...(dialect === 'postgres' ? { commitsPerMessage: round(commitsPerMessage, 2) } : {}),
        top: work.top,
      },
    };
  } finally {
    await db.drop();
  }
}
