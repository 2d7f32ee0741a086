import type { DialectName } from '../../src/infra/db/database.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { openConversations, orderViolations, queueReplies } from '../lib/conversations.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { FakeProvider } from '../lib/fake-provider.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { deliveryStatuses, expireLeases, jobCounts, leasedSends } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';

export interface OutboundKillOptions {
  dialect: DialectName;
  conversations: number;
  repliesPerConversation: number;
  /** Kill once this share of the replies has been accepted by the provider. */
  killAt: number;
  downMs: number;
  fastForwardLeases: boolean;
  /** Provider answer delay, so sends are in flight when the kill lands. */
  providerLatencyMs: [number, number];
}

/**
 * 2. `kill -9` during an outbound burst: after the restart every queued reply reaches the provider;
 * a reply is sent twice only if its send was in flight at the kill (at most once more), and each
 * conversation's replies arrive in the order they were written.
 */
export function outboundKill(o: OutboundKillOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('2', `kill -9 during an outbound burst (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect);
    let secret: string | undefined;
    const provider = await new FakeProvider(() => secret).start();
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    try {
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault outbound', provider.url);
      secret = channel.secret;
      const prefix = `f2-${Date.now().toString(36)}`;
      const convIds = await openConversations(server.url, env.db.db, channel, prefix, o.conversations);

      provider.latencyMs = o.providerLatencyMs;
      const total = o.conversations * o.repliesPerConversation;
      const queuedStarted = Date.now();
      // The burst: everything is queued first (the first sends wait at the provider meanwhile), then flows.
      provider.hold();
      const plan = await queueReplies(admin, convIds, o.repliesPerConversation, prefix);
      provider.release();
      const killAfter = Math.max(1, Math.floor(total * o.killAt));
      const queuedMs = Date.now() - queuedStarted;
      await pollUntil(() => provider.acceptedCounts().size >= killAfter, 120_000, 2);
      const acceptedAtKill = provider.acceptedCounts().size;
      const killedPid = server.pid;
      const killedAt = Date.now();
      await server.kill();
      // What the dead node was sending: its leased jobs (the only replies that may go out twice).
      const inFlight = await leasedSends(env.db.db);
      const requestsAtKill = provider.requests.length;
      await sleep(o.downMs);
      const released = o.fastForwardLeases ? await expireLeases(env.db.db) : 0;
      const startMs = await server.start();
      const restartedAt = Date.now();

      const ids = new Set(plan.all);
      const allSent = await pollUntil(
        async () => {
          if ([...ids].some((id) => !provider.acceptedCounts().has(id))) return undefined;
          const st = await deliveryStatuses(env.db.db, plan.all);
          return st.sent === total ? st : undefined;
        },
        o.fastForwardLeases ? 30_000 : 120_000,
        100,
        () => !server.running,
      );
      const drainedAfter = Date.now() - restartedAt;
      // A late duplicate would need a lease to expire again: give any stray resend a moment to show.
      await sleep(1000);
      const counts = provider.acceptedCounts();
      const missing = plan.all.filter((id) => !counts.has(id));
      const duplicates = [...counts].filter(([, n]) => n > 1);
      const extraSends = duplicates.reduce((s, [, n]) => s + n - 1, 0);
      const unexpected = duplicates.filter(([id, n]) => n > 2 || !inFlight.includes(id));
      const violations = orderViolations(plan, provider.requests);
      const statuses = await deliveryStatuses(env.db.db, plan.all);
      const jobs = await jobCounts(env.db.db);
      const badSignatures = provider.requests.filter((q) => !q.signatureOk).length;

      r.sent.push(
        `${total} replies queued (202) in ${o.conversations} conversations × ${o.repliesPerConversation}, in ${seconds(queuedMs)}`,
      );
      r.fault.push(
        `kill -9 (pid ${killedPid}) after ${acceptedAtKill}/${total} replies accepted by the provider (${requestsAtKill} requests)`,
        `${inFlight.length} sends in flight at the kill (jobs leased by the dead node)`,
        `restarted after ${o.downMs} ms (pid ${server.pid}): healthy again ${seconds(restartedAt - killedAt)} after the kill (start ${startMs} ms)`,
        o.fastForwardLeases
          ? `job leases of the dead node released at once (${released} jobs) instead of waiting 60 s`
          : 'job leases of the dead node waited out (60 s)',
      );
      r.stored.push(`delivery status of the replies: ${histogram(statuses)}; jobs: ${histogram(jobs)}`);
      r.delivered.push(
        `${counts.size}/${total} distinct replies accepted, ${provider.requests.length} requests; missing ${missing.length}`,
        `duplicates: ${duplicates.length} replies sent twice (${extraSends} extra sends); bound: ${inFlight.length} in flight at the kill`,
        `order violations: ${violations.length}; bad signatures: ${badSignatures}`,
        allSent
          ? `all delivered and marked sent ${seconds(drainedAfter)} after the restart`
          : 'NOT all delivered in time',
      );
      r.figure('replies', total);
      r.figure('inFlightAtKill', inFlight.length);
      r.figure('duplicates', duplicates.length);
      r.figure('drainedAfterRestartMs', drainedAfter);

      r.check(
        'the kill landed mid-burst',
        acceptedAtKill < total,
        `${acceptedAtKill}/${total} accepted at the kill`,
      );
      r.check('every queued reply reached the provider', missing.length === 0, `missing ${missing.length}`);
      r.check('every reply ends marked sent', statuses.sent === total, histogram(statuses));
      r.check(
        'duplicates only for sends in flight at the kill, at most one each',
        unexpected.length === 0 && extraSends <= inFlight.length,
        `${extraSends} extra sends, ${inFlight.length} in flight${unexpected.length ? `; unexpected: ${unexpected.map(([id]) => id).join(', ')}` : ''}`,
      );
      r.check('per-conversation order preserved', violations.length === 0, violations.slice(0, 3).join('; '));
      r.check('every callback correctly signed', badSignatures === 0, `${badSignatures} bad`);
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      await server.stop();
      await provider.stop();
      await env.cleanup();
    }
  });
}
