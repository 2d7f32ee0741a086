import { sql } from 'kysely';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { canControlPostgres, ensurePostgresRunning, stopPostgres } from '../lib/postgres-control.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { inboundStored, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';
import { WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface PostgresRestartOptions {
  messages: number;
  contacts: number;
  ratePerSec: number;
  /** Stop PostgreSQL once this share of the messages has been acknowledged ... */
  stopAt: number;
  /** ... for this long. */
  downMs: number;
}

/**
 * 3. PostgreSQL restarted under a steady inbound load: while it is down webhooks are answered 503 with
 * Retry-After (so the provider retries), nothing is lost once it is back, and the same node process
 * carries on without a restart.
 */
export function postgresRestart(o: PostgresRestartOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('3', 'PostgreSQL restarted mid-load (postgres)');
  return runScenario(report, async (r) => {
    if (!canControlPostgres()) {
      r.skipped = 'pg_ctlcluster cannot control a local PostgreSQL cluster here';
      return;
    }
    const env = await createEnvironment('postgres');
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    try {
      await server.start();
      const pid = server.pid;
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault postgres');
      const prefix = `f3-${Date.now().toString(36)}`;
      const messages = inboundMessages(prefix, o.messages, o.contacts);
      const sim = new WebhookSimulator(messages, {
        url: `${server.url}/webhooks/api/${channel.id}`,
        secret: channel.secret,
        concurrency: 16,
        timeoutMs: 5000,
        backoffBaseMs: 200,
        backoffCapMs: 2000,
        deadlineMs: 180_000,
        ratePerSec: o.ratePerSec,
      });
      const loadStarted = Date.now();
      const load = sim.run();
      await pollUntil(() => sim.acked >= Math.floor(o.messages * o.stopAt), 120_000, 5);
      const ackedAtStop = sim.acked;
      let downAt = 0;
      let upAt = 0;
      let stoppedAt = 0;
      // A checkpoint now keeps the shutdown checkpoint (and so the outage everyone sees) short.
      await sql`checkpoint`.execute(env.db.db.kysely);
      try {
        downAt = Date.now();
        await stopPostgres();
        stoppedAt = Date.now();
        await sleep(o.downMs);
      } finally {
        // Everyone's tests share this PostgreSQL: it comes back whatever happened above.
        await ensurePostgresRunning();
        upAt = Date.now();
      }
      const died = () => !server.running;
      if (died()) sim.abort();
      const healthyAgain = await pollUntil(
        async () => (await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok,
        60_000,
        100,
        died,
      );
      const healthyAfter = Date.now() - upAt;
      await load;
      const loadMs = Date.now() - loadStarted;

      const during = sim.records.flatMap((rec) => rec.attempts).filter((a) => a.at >= downAt && a.at <= upAt);
      const duringOutcomes: Record<string, number> = {};
      for (const a of during) duringOutcomes[a.outcome] = (duringOutcomes[a.outcome] ?? 0) + 1;
      const unavailable = during.filter((a) => a.outcome === '503');
      const withoutRetryAfter = unavailable.filter((a) => a.retryAfter === undefined).length;
      // Any HTTP error but 503, at any time of the run (the edges of the outage included).
      const wrongAnswers = sim.records
        .flatMap((rec) => rec.attempts)
        .filter((a) => /^\d+$/.test(a.outcome) && a.outcome !== '503' && !/^2\d\d$/.test(a.outcome));
      const ids = messages.map((m) => m.messageId);
      const settled = await pollUntil(
        async () => {
          const s = await inboundStored(env.db.db, channel.id, ids);
          return s.missing.length === 0 && s.unprocessed === 0 ? s : undefined;
        },
        120_000,
        250,
        died,
      );
      const settledAfter = Date.now() - upAt;
      const stored = settled ?? (await inboundStored(env.db.db, channel.id, ids));
      const jobs = await jobCounts(env.db.db);

      r.sent.push(
        `${o.messages} messages at ${o.ratePerSec}/s from ${o.contacts} customers`,
        `${sim.requests()} requests: ${histogram(sim.outcomes())}; ${sim.acked} acknowledged in ${seconds(loadMs)}`,
      );
      r.fault.push(
        `pg_ctlcluster stop -m fast after ${ackedAtStop} acknowledged (the stop took ${seconds(stoppedAt - downAt)}); up again ${seconds(upAt - downAt)} after the stop began`,
        `answers while it was down: ${histogram(duringOutcomes) || 'none'} (${withoutRetryAfter} 503 without Retry-After)`,
        `node pid ${pid} → ${server.pid} (${server.pid === pid && server.running ? 'same process, never restarted' : 'the process DIED'}), health 200 ${seconds(healthyAfter)} after PostgreSQL was back`,
      );
      r.stored.push(
        `${stored.events} inbound events, ${stored.messages} messages; missing ${stored.missing.length}, duplicated ${stored.duplicated.length}, unprocessed ${stored.unprocessed}`,
        settled
          ? `all processed ${seconds(settledAfter)} after PostgreSQL was back`
          : 'NOT all processed in time',
        `jobs: ${histogram(jobs)}`,
      );
      r.delivered.push('— (inbound only)');
      r.figure('outageMs', upAt - downAt);
      r.figure('answered503', unavailable.length);
      r.figure('settledAfterOutageMs', settledAfter);

      r.check(
        'webhooks were answered 503 while PostgreSQL was down',
        unavailable.length > 0,
        `${unavailable.length} × 503`,
      );
      r.check(
        'no HTTP error other than 503 at any time (so providers retry)',
        wrongAnswers.length === 0,
        wrongAnswers.length ? wrongAnswers.map((a) => a.outcome).join(', ') : '',
      );
      r.check('every 503 carries Retry-After', withoutRetryAfter === 0, `${withoutRetryAfter} without`);
      r.check(
        'the node recovered without a restart',
        server.pid === pid && server.running && healthyAgain === true,
        `pid ${pid}`,
      );
      r.check(
        'the simulator got every message acknowledged',
        sim.acked === o.messages,
        `${sim.acked}/${o.messages}`,
      );
      r.check(
        'every message stored exactly once and processed',
        stored.missing.length === 0 &&
          stored.duplicated.length === 0 &&
          stored.messages === o.messages &&
          stored.unprocessed === 0,
        `${stored.messages} messages for ${o.messages} sent, ${stored.unprocessed} unprocessed`,
      );
      r.check('no dead job', !Object.keys(jobs).some((k) => k.endsWith('/dead')), histogram(jobs));
    } finally {
      await ensurePostgresRunning();
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await env.cleanup();
    }
  });
}
