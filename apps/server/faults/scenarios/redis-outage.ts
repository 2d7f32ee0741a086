import type { AccountEvent } from '@switchboard/shared';
import { summarise } from '../../bench/lib/stats.ts';
import { SocketProbe } from '../../test/socket-harness.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { openConversations, queueReplies } from '../lib/conversations.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { FakeProvider } from '../lib/fake-provider.ts';
import { PrivateRedis, redisServerInstalled } from '../lib/redis-server.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { deliveryStatuses, inboundStored, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';
import { type InboundMessage, WebhookSimulator, inboundMessages } from '../lib/webhook-simulator.ts';

export interface RedisOutageOptions {
  /** Customer messages posted to each node while Redis is down. */
  inboundPerNode: number;
  conversations: number;
  /** Replies queued (through node B) per conversation while Redis is down. */
  repliesPerConversation: number;
  /** Redis stays down at least this long. */
  outageMs: number;
}

const createdIds = (events: AccountEvent[]) =>
  events
    .filter((e) => e.type === 'message.created')
    .map((e) => e.payload as { direction: string; providerMessageId: string | null })
    // Replies get their provider id only when sent; customers' messages carry theirs from the start.
    .filter((m) => m.direction === 'in')
    .map((m) => m.providerMessageId);

function gapFree(seqs: number[], from: number, to: number): boolean {
  return seqs.length === to - from && seqs.every((s, i) => s === from + 1 + i);
}

/**
 * 4. Redis (the cross-node bus) stopped under two nodes: both keep storing inbound messages and sending
 * replies (workers fall back to polling), live updates pause and resume when Redis is back, and an
 * operator's socket catches up by sequence number without missing or repeating an event.
 */
export function redisOutage(o: RedisOutageOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('4', 'Redis stopped under two nodes (postgres + private redis-server)');
  return runScenario(report, async (r) => {
    if (!(await redisServerInstalled())) {
      r.skipped = 'redis-server is not installed';
      return;
    }
    const redis = await PrivateRedis.create();
    await redis.start();
    const env = await createEnvironment('postgres', { REDIS_URL: redis.url });
    let secret: string | undefined;
    const provider = await new FakeProvider(() => secret).start();
    const a = await ServerProcess.create('node A', env.env, env.dataDir);
    const b = await ServerProcess.create('node B', env.env, env.dataDir);
    const sockets: SocketProbe[] = [];
    try {
      await Promise.all([a.start(), b.start()]);
      const adminA = await ConsoleClient.login(a.url, ADMIN.email, ADMIN.password);
      const adminB = adminA.on(b.url);
      const channel = await adminA.createApiChannel('Fault redis', provider.url);
      secret = channel.secret;
      const socket = await SocketProbe.connect(b.url, { cookie: adminA.sessionCookie });
      sockets.push(socket);
      const readySeq = socket.readySeq ?? 0;
      const prefix = `f4-${Date.now().toString(36)}`;

      // Before: a customer writes to node A, the operator on node B sees it live.
      const convIds = await openConversations(a.url, env.db.db, channel, `${prefix}-open`, o.conversations);
      const liveBefore = await pollUntil(
        () => createdIds(socket.events).length >= o.conversations,
        10_000,
        20,
      );
      const post = (node: ServerProcess, tag: string) =>
        new WebhookSimulator(inboundMessages(`${prefix}-${tag}`, o.inboundPerNode, o.conversations), {
          url: `${node.url}/webhooks/api/${channel.id}`,
          secret: channel.secret,
          concurrency: 8,
          timeoutMs: 10_000,
          backoffBaseMs: 200,
          backoffCapMs: 2000,
          deadlineMs: 120_000,
        });
      // The same load with Redis up, for comparison.
      const baseline = [post(a, 'base-a'), post(b, 'base-b')];
      await Promise.all(baseline.map((sim) => sim.run()));
      const baselineLat = summarise(
        baseline.flatMap((sim) => sim.records.flatMap((x) => x.attempts.map((t) => t.ms))),
      );
      await pollUntil(
        () => createdIds(socket.events).length >= o.conversations + 2 * o.inboundPerNode,
        30_000,
        50,
      );
      const seqBefore = (await socket.sync()).seq;
      const eventsBefore = socket.events.length;

      // During: Redis is gone.
      await redis.kill();
      const downAt = Date.now();
      const simA = post(a, 'a');
      const simB = post(b, 'b');
      const replyStarted = Date.now();
      const [plan] = await Promise.all([
        queueReplies(adminB, convIds, o.repliesPerConversation, `${prefix}-reply`, 4),
        simA.run(),
        simB.run(),
      ]);
      const replyQueueMs = Date.now() - replyStarted;
      const inboundIds = [...simA.records, ...simB.records].map((x) => x.message.messageId);
      const totalReplies = plan.all.length;
      const drained = await pollUntil(
        async () => {
          const s = await inboundStored(env.db.db, channel.id, inboundIds);
          const st = await deliveryStatuses(env.db.db, plan.all);
          return s.missing.length === 0 && s.unprocessed === 0 && st.sent === totalReplies
            ? { s, st }
            : undefined;
        },
        90_000,
        250,
        () => !a.running || !b.running,
      );
      const drainedMs = Date.now() - downAt;
      const stored = drained?.s ?? (await inboundStored(env.db.db, channel.id, inboundIds));
      const statuses = drained?.st ?? (await deliveryStatuses(env.db.db, plan.all));
      if (Date.now() - downAt < o.outageMs) await sleep(o.outageMs - (Date.now() - downAt));
      const liveDuringOutage = socket.events.length - eventsBefore;

      // After: Redis is back; a customer writes to node A until node B's socket sees it live.
      await redis.start();
      const upAt = Date.now();
      let probeN = 0;
      const probeIds: string[] = [];
      const resumed = await pollUntil(
        async () => {
          const m: InboundMessage = {
            eventId: `${prefix}-probe-evt-${probeN}`,
            contactId: `${prefix}-probe`,
            messageId: `${prefix}-probe-${probeN}`,
            text: `Are you there? (${probeN})`,
          };
          probeN++;
          probeIds.push(m.messageId);
          await new WebhookSimulator([m], {
            url: `${a.url}/webhooks/api/${channel.id}`,
            secret: channel.secret,
            concurrency: 1,
            timeoutMs: 5000,
            backoffBaseMs: 100,
            backoffCapMs: 500,
            deadlineMs: 10_000,
          }).run();
          return pollUntil(() => createdIds(socket.events).includes(m.messageId), 700, 20);
        },
        30_000,
        0,
      );
      const resumedMs = Date.now() - upAt;
      // Live delivery of the probe filled the gap first: the socket must already be complete, without sync.
      const seqsAtResume = socket.seqs();
      const lastLive = seqsAtResume[seqsAtResume.length - 1] ?? readySeq;
      const completeBeforeSync = gapFree(seqsAtResume, readySeq, lastLive);
      const finalSeq = (await socket.sync()).seq;
      const account = await env.db.db.kysely
        .selectFrom('accounts')
        .select('event_seq')
        .executeTakeFirstOrThrow();
      const seqs = socket.seqs();
      const created = createdIds(socket.events);
      const baselineIds = baseline.flatMap((sim) => sim.records.map((x) => x.message.messageId));
      const expectedCreated = [...baselineIds, ...inboundIds, ...probeIds];
      const missingLive = expectedCreated.filter((id) => !created.includes(id));
      const repeated = created.length - new Set(created).size;

      // A console that reconnects with the last sequence number it saw before the outage.
      const again = await SocketProbe.connect(b.url, { cookie: adminA.sessionCookie, lastSeq: seqBefore });
      sockets.push(again);
      const replayed = (await again.sync()).seq;
      const replayOk = gapFree(again.seqs(), seqBefore, replayed);

      const latencies = [...simA.records, ...simB.records].flatMap((x) => x.attempts.map((t) => t.ms));
      const lat = summarise(latencies);
      const counts = provider.acceptedCounts();
      const duplicates = [...counts].filter(([, n]) => n > 1).length;
      const missingReplies = plan.all.filter((id) => !counts.has(id)).length;
      const jobs = await jobCounts(env.db.db);

      r.sent.push(
        `${o.conversations} customers wrote through node A before the outage (seen live on node B: ${liveBefore ? 'yes' : 'NO'})`,
        `during the outage: ${o.inboundPerNode} messages to each node (${simA.requests() + simB.requests()} requests: ${histogram({ ...simA.outcomes(), ...simB.outcomes() })})`,
        `webhook answer time: with Redis p50 ${baselineLat.p50} ms, p99 ${baselineLat.p99} ms; during the outage p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms`,
        `${totalReplies} replies queued through node B in ${seconds(replyQueueMs)}`,
      );
      r.fault.push(
        `redis-server (port ${redis.port}) killed; down ${seconds(upAt - downAt)}`,
        `live events on node B's socket while Redis was down: ${liveDuringOutage}`,
        resumed
          ? `live updates resumed ${seconds(resumedMs)} after Redis returned (${probeN} probe message${probeN > 1 ? 's' : ''})`
          : 'live updates did NOT resume within 30 s',
      );
      r.stored.push(
        `${inboundIds.length - stored.missing.length}/${inboundIds.length} messages sent during the outage stored (channel total ${stored.messages}); missing ${stored.missing.length}, duplicated ${stored.duplicated.length}, unprocessed ${stored.unprocessed}`,
        `replies: ${histogram(statuses)}; jobs: ${histogram(jobs)}`,
        drained
          ? `everything stored and sent ${seconds(drainedMs)} into the outage`
          : 'NOT everything stored and sent during the outage',
      );
      r.delivered.push(
        `replies accepted by the provider: ${counts.size}/${totalReplies}; missing ${missingReplies}, duplicated ${duplicates}`,
        `socket on node B: seq ${readySeq} → ${finalSeq} (account at ${account.event_seq}), ${seqs.length} events, gap-free: ${gapFree(seqs, readySeq, finalSeq)}`,
        `every message.created seen: ${missingLive.length === 0} (${missingLive.length} missing, ${repeated} repeated)`,
        `reconnect with lastSeq ${seqBefore}: replayed up to ${replayed}, gap-free: ${replayOk}`,
      );
      r.figure('webhookP50WithRedisMs', baselineLat.p50);
      r.figure('webhookP50DuringOutageMs', lat.p50);
      r.figure('webhookP99DuringOutageMs', lat.p99);
      r.figure('resumedAfterMs', resumedMs);

      r.check('live across nodes before the outage', liveBefore === true);
      r.check(
        'both nodes kept storing: every message stored once and processed',
        stored.missing.length === 0 && stored.duplicated.length === 0 && stored.unprocessed === 0,
        `${stored.missing.length} missing`,
      );
      r.check(
        'webhooks answered promptly while Redis is down (p50 < 2 s: the bus does not hold requests)',
        lat.p50 < 2000,
        `p50 ${lat.p50} ms`,
      );
      r.check(
        'the simulators got every message acknowledged',
        simA.unacked().length + simB.unacked().length === 0,
      );
      r.check(
        'replies kept going out: all delivered once, marked sent',
        missingReplies === 0 && duplicates === 0 && statuses.sent === totalReplies,
        histogram(statuses),
      );
      r.check('live updates resumed after Redis returned', resumed !== undefined, seconds(resumedMs));
      r.check(
        'the socket caught up by sequence number before any sync',
        completeBeforeSync,
        `${seqsAtResume.length} events up to ${lastLive}`,
      );
      r.check(
        'the socket holds every event once, gap-free up to the account sequence',
        gapFree(seqs, readySeq, finalSeq) &&
          finalSeq === account.event_seq &&
          missingLive.length === 0 &&
          repeated === 0,
      );
      r.check('a reconnecting socket replays from its lastSeq', replayOk && replayed === account.event_seq);
    } finally {
      for (const s of sockets) s.close();
      report.logs.push(`--- node A output ---\n${a.log()}`, `--- node B output ---\n${b.log()}`);
      report.serverErrors.push(...a.errors, ...b.errors);
      await Promise.all([a.stop(), b.stop()]);
      await provider.stop();
      await redis.kill();
      await env.cleanup();
    }
  });
}
