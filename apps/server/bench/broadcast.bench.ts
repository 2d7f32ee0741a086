import { startBenchNode } from './lib/bench-node.ts';
import { CallbackSink, pool } from './lib/callback-sink.ts';
import { seedCustomers } from './lib/seed-customers.ts';
import { round } from './lib/stats.ts';

/**
 * Broadcast: one `POST /broadcasts` to RECIPIENTS contacts, timed until every message reached the
 * provider (a local callback). Baseline in the same run, on the same node: the same number of single
 * replies through `POST /conversations/:id/messages` to the same customers, also until delivered.
 * A broadcast decides each recipient on its own (window, consent) in batches of jobs, so this shows
 * what that costs next to the plain reply path.
 */
const RECIPIENTS = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 2000);
const CONCURRENCY = 8;

export async function broadcastBench(dialect: 'sqlite' | 'postgres') {
  const sink = await new CallbackSink().start();
  const node = await startBenchNode(dialect, {
    env: { WORKER_CONCURRENCY: String(CONCURRENCY) },
    callbackUrl: sink.url,
  });
  const { base, account: acc } = node;
  const headers = { 'content-type': 'application/json', cookie: acc.cookie, 'x-csrf-token': acc.csrf };
  const untilDelivered = async (n: number) => {
    const deadline = Date.now() + 900_000;
    while (sink.deliveries.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (sink.deliveries.length < n) throw new Error(`only ${sink.deliveries.length} of ${n} delivered`);
  };
  try {
    const customers = await seedCustomers(node, RECIPIENTS);

    // Baseline: single replies, one per customer, through the REST API.
    sink.deliveries.length = 0;
    const r0 = performance.now();
    await pool(customers.length, 16, async (i) => {
      const res = await fetch(`${base}/api/v1/conversations/${customers[i]!.conversationId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: 'single reply', clientMessageId: `single-${i}` }),
      });
      if (res.status !== 202) throw new Error(`reply answered ${res.status}: ${await res.text()}`);
    });
    await untilDelivered(customers.length);
    const repliesMs = performance.now() - r0;

    // The broadcast to the same customers.
    sink.deliveries.length = 0;
    const b0 = performance.now();
    const res = await fetch(`${base}/api/v1/broadcasts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        channelId: acc.channelId,
        contactIds: customers.map((c) => c.contactId),
        text: 'broadcast',
      }),
    });
    if (res.status !== 202) throw new Error(`broadcast answered ${res.status}: ${await res.text()}`);
    const acceptedMs = performance.now() - b0;
    const { id } = (await res.json()) as { id: string };
    await untilDelivered(customers.length);
    const broadcastMs = performance.now() - b0;
    const report = (await (await fetch(`${base}/api/v1/broadcasts/${id}`, { headers })).json()) as {
      counts: { queued: number; total: number };
    };
    const unique = new Set(sink.deliveries.map((d) => d.id)).size;
    const rate = customers.length / (broadcastMs / 1000);
    const baselineRate = customers.length / (repliesMs / 1000);
    return {
      scenario: 'broadcast',
      dialect,
      recipients: customers.length,
      queued: report.counts.queued,
      delivered: unique,
      duplicates: sink.deliveries.length - unique,
      acceptedSeconds: round(acceptedMs / 1000, 3),
      allDeliveredSeconds: round(broadcastMs / 1000),
      deliveredPerSecond: round(rate, 1),
      baselineSingleRepliesPerSecond: round(baselineRate, 1),
      ratioToBaseline: round(rate / baselineRate, 3),
    };
  } finally {
    await node.stop();
    await sink.stop();
  }
}
