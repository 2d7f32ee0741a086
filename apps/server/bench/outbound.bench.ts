import { startBenchNode } from './lib/bench-node.ts';
import { CallbackSink, pool } from './lib/callback-sink.ts';
import { seedCustomers } from './lib/seed-customers.ts';
import { cpuMsOf } from './lib/server-process.ts';
import { round } from './lib/stats.ts';

/**
 * Outbound: REPLIES replies over CONVERSATIONS conversations are queued through the REST API, then
 * delivered by the job worker to a local callback. Baseline in the same run: the same number of raw
 * POSTs from this process straight to the same callback, at the same concurrency as the worker.
 */
const REPLIES = Number(process.env.BENCH_OUTBOUND_REPLIES ?? 10_000);
const CONVERSATIONS = Number(process.env.BENCH_OUTBOUND_CONVERSATIONS ?? 100);
const CONCURRENCY = 8;

export async function outboundBench(dialect: 'sqlite' | 'postgres') {
  const sink = await new CallbackSink().start();
  const node = await startBenchNode(dialect, {
    env: { WORKER_CONCURRENCY: String(CONCURRENCY) },
    callbackUrl: sink.url,
  });
  const { base, account: acc } = node;
  try {
    const headers = { 'content-type': 'application/json', cookie: acc.cookie, 'x-csrf-token': acc.csrf };

    // Conversations come into being the normal way: one inbound message each.
    const convIds = (await seedCustomers(node, CONVERSATIONS)).map((c) => c.conversationId);
    sink.deliveries.length = 0;

    const cpu0 = cpuMsOf(node.server.pid);
    const t0 = performance.now();
    await pool(REPLIES, 16, async (i) => {
      const conv = convIds[i % convIds.length]!;
      const res = await fetch(`${base}/api/v1/conversations/${conv}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: `reply ${Math.floor(i / convIds.length)}`, clientMessageId: `r-${i}` }),
      });
      if (res.status !== 202) throw new Error(`reply answered ${res.status}: ${await res.text()}`);
    });
    const queuedMs = performance.now() - t0;
    const deadline = Date.now() + 600_000;
    while (sink.deliveries.length < REPLIES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const deliveredMs = performance.now() - t0;
    // The node's CPU (all threads) per delivered reply: near 2 cores × the wall time means CPU-bound.
    const serverCpuMs = cpuMsOf(node.server.pid) - cpu0;

    // Per-conversation order: replies must reach the provider in the order the server accepted them
    // (message ids are time-ordered UUIDv7, increasing within one node).
    const lastSeen = new Map<string, string>();
    let outOfOrder = 0;
    for (const d of sink.deliveries) {
      if ((lastSeen.get(d.conversationId) ?? '') > d.id) outOfOrder++;
      lastSeen.set(d.conversationId, d.id);
    }
    const unique = new Set(sink.deliveries.map((d) => d.id)).size;
    const received = sink.deliveries.length;

    // Baseline: the same number of POSTs to the same sink, no database, no queue.
    const b0 = performance.now();
    await pool(REPLIES, CONCURRENCY, async (i) => {
      await fetch(sink.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: { id: `b${i}`, conversationId: 'b', text: 'reply 0' } }),
      });
    });
    const baselineMs = performance.now() - b0;
    const rate = REPLIES / (deliveredMs / 1000);
    const baselineRate = REPLIES / (baselineMs / 1000);
    return {
      scenario: 'outbound',
      dialect,
      replies: REPLIES,
      conversations: CONVERSATIONS,
      delivered: unique,
      duplicates: received - unique,
      outOfOrder,
      queueSeconds: round(queuedMs / 1000),
      allDeliveredSeconds: round(deliveredMs / 1000),
      deliveredPerSecond: round(rate, 1),
      baselinePostsPerSecond: round(baselineRate, 1),
      ratioToBaseline: round(rate / baselineRate, 3),
      serverCpuMsPerReply: round(serverCpuMs / REPLIES, 2),
      serverCpuShareOfWall: round(serverCpuMs / deliveredMs, 2),
    };
  } finally {
    await node.stop();
    await sink.stop();
  }
}
