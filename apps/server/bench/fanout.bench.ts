import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { type Socket, io } from 'socket.io-client';
import { startBenchNode } from './lib/bench-node.ts';
import { rssOf } from './lib/server-process.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Fan-out: SOCKETS operator sockets on one node; one inbound message's `message.created` event timed until
 * the LAST socket has it, ROUNDS times. Baseline in the same run: a bare Socket.IO server broadcasting
 * one message to the same number of sockets.
 */
const SOCKETS = Number(process.env.BENCH_FANOUT_SOCKETS ?? 500);
const ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 20);

async function connectAll(
  url: string,
  opts: Parameters<typeof io>[1],
  readyEvent: string,
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < SOCKETS; i += 50) {
    const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, () =>
      io(url, { ...opts, transports: ['websocket'], forceNew: true }),
    );
    await Promise.all(
      batch.map(
        (s) =>
          new Promise<void>((res, rej) => {
            s.once(readyEvent, () => res());
            s.once('connect_error', rej);
          }),
      ),
    );
    sockets.push(...batch);
  }
  return sockets;
}

/** Resolves with the ms from `trigger()` until every socket saw an event matching `match`. */
async function timeToAll(
  sockets: Socket[],
  event: string,
  match: (arg: unknown) => boolean,
  trigger: () => Promise<void>,
): Promise<number> {
  let remaining = sockets.length;
  const t0 = performance.now();
  const done = new Promise<number>((res) => {
    for (const s of sockets) {
      const h = (arg: unknown) => {
        if (!match(arg)) return;
        s.off(event, h);
        if (--remaining === 0) res(performance.now() - t0);
      };
      s.on(event, h);
    }
  });
  await trigger();
  return Promise.race([
    done,
    new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), 30_000)),
  ]);
}

async function baselineServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'lib/baseline-socket-server.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((res) => {
    child.stdout!.on('data', (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) res(Number(m[1]));
    });
  });
  return { port, child };
}

export async function fanoutBench(dialect: 'sqlite' | 'postgres') {
  // Baseline: plain Socket.IO broadcast.
  const b = await baselineServer();
  const bUrl = `http://127.0.0.1:${b.port}`;
  const bSockets = await connectAll(bUrl, {}, 'hello');
  const baseline: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    baseline.push(
      await timeToAll(
        bSockets,
        'tick',
        (a) => (a as { r: number }).r === r,
        async () => {
          await fetch(`${bUrl}/emit?r=${r}`);
        },
      ),
    );
  }
  for (const s of bSockets) s.close();
  b.child.kill('SIGTERM');

  const node = await startBenchNode(dialect);
  const { base, server, account: acc } = node;
  try {
    const before = server.rss();
    const sockets = await connectAll(base, { extraHeaders: { cookie: acc.cookie } }, 'ready');
    const after = rssOf(server.pid);
    const ours: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const id = `fan-${r}`;
      ours.push(
        await timeToAll(
          sockets,
          'event',
          (e) =>
            (e as { type: string; payload: { providerMessageId?: string } }).type === 'message.created' &&
            (e as { payload: { providerMessageId?: string } }).payload.providerMessageId === id,
          async () => {
            const body = JSON.stringify({
              eventId: id,
              contact: { externalId: `c-${r}` },
              message: { externalId: id, text: `hello ${r}` },
            });
            const sig = `sha256=${createHmac('sha256', acc.secret).update(body).digest('hex')}`;
            await fetch(`${base}/webhooks/api/${acc.channelId}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-switchboard-signature': sig },
              body,
            });
          },
        ),
      );
    }
    for (const s of sockets) s.close();
    const o = summarise(ours.map((x) => round(x, 1)));
    const bl = summarise(baseline.map((x) => round(x, 1)));
    return {
      scenario: 'fanout',
      dialect,
      sockets: SOCKETS,
      rounds: ROUNDS,
      webhookToAllSocketsMs: o,
      baselineBroadcastMs: bl,
      p99RatioToBaseline: round(o.p99 / bl.p99, 2),
      note: 'ours includes the webhook request, the job worker and the database; the baseline is only the broadcast',
      memoryPerSocketKb: round((after - before) / SOCKETS / 1024, 1),
    };
  } finally {
    await node.stop();
  }
}
