import type { DialectName } from '../../src/infra/db/database.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { expireLeases, inboundStored, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';
import { WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface InboundKillOptions {
  dialect: DialectName;
  messages: number;
  contacts: number;
  /** Kill once this share of the messages has been acknowledged. */
  killAt: number;
  /** How long the node stays dead before it is started again. */
  downMs: number;
  /** Short form: release the dead node's job leases at once instead of waiting the 60 s lease out. */
  fastForwardLeases: boolean;
  concurrency: number;
}

/**
 * 1. `kill -9` during an inbound burst: the provider simulator retries everything that was not
 * acknowledged; after a restart every message it sent must be stored exactly once.
 */
export function inboundKill(o: InboundKillOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('1', `kill -9 during an inbound burst (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect);
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    try {
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault burst');
      const prefix = `f1-${Date.now().toString(36)}`;
      const messages = inboundMessages(prefix, o.messages, o.contacts);
      const sim = new WebhookSimulator(messages, {
        url: `${server.url}/webhooks/api/${channel.id}`,
        secret: channel.secret,
        concurrency: o.concurrency,
        timeoutMs: 5000,
        backoffBaseMs: 100,
        backoffCapMs: 2000,
        deadlineMs: 180_000,
      });
      const burstStarted = Date.now();
      const burst = sim.run();

      const killAfter = Math.max(1, Math.floor(o.messages * o.killAt));
      await pollUntil(() => sim.acked >= killAfter, 120_000, 2);
      const ackedAtKill = sim.acked;
      const inFlightAtKill = sim.inFlight;
      const killedPid = server.pid;
      const killedAt = Date.now();
      await server.kill();
      const leased = (await jobCounts(env.db.db))['inbound.process/running'] ?? 0;
      await sleep(o.downMs);
      const released = o.fastForwardLeases ? await expireLeases(env.db.db) : 0;
      const startMs = await server.start();
      const restartedAt = Date.now();
      await burst;
      const burstMs = Date.now() - burstStarted;

      const ids = messages.map((m) => m.messageId);
      const settled = await pollUntil(
        async () => {
          const s = await inboundStored(env.db.db, channel.id, ids);
          return s.missing.length === 0 && s.unprocessed === 0 ? s : undefined;
        },
        o.fastForwardLeases ? 30_000 : 120_000,
        200,
        () => !server.running,
      );
      const settledAfter = Date.now() - restartedAt;
      const stored = settled ?? (await inboundStored(env.db.db, channel.id, ids));
      const jobs = await jobCounts(env.db.db);
      const dead = Object.entries(jobs).filter(([k]) => k.endsWith('/dead'));

      r.sent.push(
        `${o.messages} messages from ${o.contacts} customers, ${o.concurrency} requests in flight at most`,
        `${sim.requests()} requests: ${histogram(sim.outcomes())}`,
        `${sim.acked} acknowledged in ${seconds(burstMs)}; ${sim.unacked().length} given up`,
      );
      r.fault.push(
        `kill -9 (pid ${killedPid}) after ${ackedAtKill} acknowledged (${Math.round((100 * ackedAtKill) / o.messages)}%), ${inFlightAtKill} requests in flight, ${leased} inbound jobs leased by the dead node`,
        `restarted after ${o.downMs} ms (pid ${server.pid}): healthy again ${seconds(restartedAt - killedAt)} after the kill (start ${startMs} ms)`,
        o.fastForwardLeases
          ? `job leases of the dead node released at once (${released} jobs) instead of waiting 60 s`
          : 'job leases of the dead node waited out (60 s)',
      );
      r.stored.push(
        `${stored.events} inbound events, ${stored.messages} messages (${stored.distinct} distinct provider ids)`,
        `missing ${stored.missing.length}, duplicated ${stored.duplicated.length}, unprocessed ${stored.unprocessed}`,
        settled ? `all processed ${seconds(settledAfter)} after the restart` : 'NOT all processed in time',
      );
      r.delivered.push('— (inbound only)');
      r.figure('messages', o.messages);
      r.figure('requests', sim.requests());
      r.figure('ackedAtKill', ackedAtKill);
      r.figure('restartMs', startMs);
      r.figure('settledAfterRestartMs', settledAfter);

      r.check(
        'the kill landed mid-burst',
        ackedAtKill > 0 && ackedAtKill < o.messages,
        `${ackedAtKill}/${o.messages}`,
      );
      r.check(
        'the simulator got every message acknowledged',
        sim.acked === o.messages,
        `${sim.acked}/${o.messages}`,
      );
      r.check(
        'every message stored',
        stored.missing.length === 0,
        `missing ${stored.missing.length}${stored.missing.length ? `: ${stored.missing.slice(0, 5).join(', ')}` : ''}`,
      );
      r.check(
        'each exactly once',
        stored.duplicated.length === 0 && stored.messages === o.messages && stored.events === o.messages,
        `${stored.messages} messages, ${stored.events} events for ${o.messages} sent`,
      );
      r.check(
        'every stored event processed, no dead job',
        stored.unprocessed === 0 && dead.length === 0,
        histogram(jobs),
      );
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await env.cleanup();
    }
  });
}
