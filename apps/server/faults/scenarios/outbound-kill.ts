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
      // The burst: the provider holds its first answers while replies are queued (at most 8 s, well
      // inside the sender's 15 s timeout), then everything flows. A large burst may still be queueing
      // when the kill lands: the operator's client repeats unanswered POSTs, like the console does.
      provider.hold();
      const queueing = queueReplies(admin, convIds, o.repliesPerConversation, prefix);
      let queuedMs = 0;
      const queued = queueing.then(
        (p) => {
          queuedMs = Date.now() - queuedStarted;
          return p;
        },
        (err: unknown) => {
          queuedMs = Date.now() - queuedStarted;
          throw err;
        },
      );
      const releaseTimer = setTimeout(() => provider.release(), 8000);
      void queued.finally(() => provider.release()).catch(() => {});
      const killAfter = Math.max(1, Math.floor(total * o.killAt));
      await pollUntil(
        () => provider.acceptedIds.size >= killAfter,
        120_000,
        2,
        () => !server.running,
      );
      clearTimeout(releaseTimer);
      const acceptedAtKill = provider.acceptedIds.size;
      const queuedAtKill = queuedMs === 0 ? 'still queueing' : 'all queued';
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
      const plan = await queued;

      const ids = new Set(plan.all);
      const allSent = await pollUntil(
        async () => {
          if ([...ids].some((id) => !provider.acceptedIds.has(id))) return undefined;
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
        `${total} replies queued (202) in ${o.conversations} conversations × ${o.repliesPerConversation}, in ${seconds(queuedMs)} (${plan.retriedPosts} POSTs repeated after the kill)`,
      );
      r.fault.push(
        `kill -9 (pid ${killedPid}) after ${acceptedAtKill}/${total} replies accepted by the provider (${requestsAtKill} requests; operator ${queuedAtKill})`,
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
      report.serverErrors.push(...server.errors);
      await server.stop();
      await provider.stop();
      await env.cleanup();
    }
  });
}
