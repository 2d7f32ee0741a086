import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { io } from 'socket.io-client';
import type { BenchAccount } from './lib/api-client.ts';
import { startBenchNode } from './lib/bench-node.ts';
import { TelegramSandbox } from '../src/sandbox/telegram-sandbox.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Ingest: signed API-channel webhooks at stepped concurrency from this (separate) process against one
 * node, until p99 passes 100 ms; the same steps against a bare Fastify JSON route as the baseline; and the
 * latency from webhook sent to message.created received on an operator's socket.
 */

const STEPS = (process.env.BENCH_INGEST_STEPS ?? '1,4,16,64').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 5);
const SOCKET_MESSAGES = Number(process.env.BENCH_SOCKET_MESSAGES ?? 300);

interface Step {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function signedRequests(secret: string, prefix: string) {
  let n = 0;
  return (req: { body?: string; headers?: Record<string, string> }) => {
    n++;
    const body = JSON.stringify({
      eventId: `${prefix}-${n}`,
      contact: { externalId: `c-${n % 500}`, name: `Customer ${n % 500}` },
      message: {
        externalId: `${prefix}-m-${n}`,
        text: `Order ${n}: where is my parcel? Заказ ${n}, где посылка?`,
      },
    });
    req.body = body;
    req.headers = {
      'content-type': 'application/json',
      'x-switchboard-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    };
    return req;
  };
}

type RequestSetup = (req: { body?: string; headers?: Record<string, string> }) => unknown;

/** Telegram Bot API `Update`s, as Telegram posts them: unique update_id, the webhook's secret header. */
function telegramUpdates(secret: string, prefix: number) {
  let n = 0;
  return (req: { body?: string; headers?: Record<string, string> }) => {
    n++;
    const user = 100_000 + (n % 500);
    req.body = JSON.stringify({
      update_id: prefix * 1_000_000 + n,
      message: {
        message_id: n,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: 'private', first_name: `Customer ${n % 500}` },
        from: { id: user, is_bot: false, first_name: `Customer ${n % 500}`, language_code: 'ru' },
        text: `Order ${n}: where is my parcel? Заказ ${n}, где посылка?`,
      },
    });
    req.headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret };
    return req;
  };
}

async function runSteps(
  url: string,
  secret: string,
  prefix: string,
  setup: (secret: string, prefix: string) => RequestSetup = signedRequests,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const connections of STEPS) {
    const r = await autocannon({
      url,
      connections,
      duration: STEP_SECONDS,
      requests: [{ method: 'POST', setupRequest: setup(secret, `${prefix}-${connections}`) as never }],
    });
    const step = {
      connections,
      rps: round(r.requests.average, 1),
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    };
    steps.push(step);
    console.log(
      `  ${prefix} c=${connections}: ${step.rps} req/s, p50 ${step.p50} ms, p99 ${step.p99} ms, non-2xx ${step.non2xx}`,
    );
    if (step.p99 > 100) break;
  }
  return steps;
}

/** Highest throughput among the steps whose p99 stayed within 100 ms. */
const sustained = (steps: Step[]) =>
  Math.max(0, ...steps.filter((s) => s.p99 <= 100 && s.non2xx === 0).map((s) => s.rps));

async function startBaseline(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'lib/baseline-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((res) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /:(\d+)\s*$/m.exec(out);
      if (m) res(Number(m[1]));
    });
  });
  return { port, child };
}

async function socketLatency(acc: BenchAccount): Promise<ReturnType<typeof summarise>> {
  const socket = io(acc.base, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie: acc.cookie },
  });
  await new Promise<void>((res, rej) => {
    socket.once('ready', () => res());
    socket.once('connect_error', rej);
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const done = new Promise<void>((res) => {
    socket.on('event', (e: { type: string; payload: { providerMessageId?: string } }) => {
      if (e.type !== 'message.created') return;
      const at = sentAt.get(e.payload.providerMessageId ?? '');
      if (at === undefined) return;
      latencies.push(performance.now() - at);
      if (latencies.length === SOCKET_MESSAGES) res();
    });
  });
  const sign = signedRequests(acc.secret, 'lat');
  for (let i = 1; i <= SOCKET_MESSAGES; i++) {
    const req = sign({});
    const id = (JSON.parse(req.body!) as { message: { externalId: string } }).message.externalId;
    sentAt.set(id, performance.now());
    await fetch(`${acc.base}/webhooks/api/${acc.channelId}`, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
    });
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  socket.close();
  return summarise(latencies.map((l) => round(l, 1)));
}

export async function ingestBench(dialect: 'sqlite' | 'postgres') {
  const baseline = await startBaseline();
  console.log(`ingest (${dialect}): baseline`);
  const baseSteps = await runSteps(
    `http://127.0.0.1:${baseline.port}/webhooks/api/x`,
    'baseline-secret',
    'base',
  );
  baseline.child.kill('SIGTERM');

  const node = await startBenchNode(dialect);
  const { base, server, account: acc } = node;
  try {
    const idleRss = server.rss();
    console.log(`ingest (${dialect}): switchboard`);
    const steps = await runSteps(`${base}/webhooks/api/${acc.channelId}`, acc.secret, 'sb');
    const loadRss = server.rss();
    const latency = await socketLatency(acc);
    // The same load in Telegram's format, through a Telegram channel connected to the sandbox Bot API.
    const telegram = await new TelegramSandbox().start();
    let telegramSteps: Step[] = [];
    try {
      const bot = telegram.createBot({ username: 'bench_bot' });
      const created = await fetch(`${base}/api/v1/channels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: acc.cookie, 'x-csrf-token': acc.csrf },
        body: JSON.stringify({
          type: 'telegram',
          name: 'Bench bot',
          settings: { botToken: bot.token, apiBaseUrl: telegram.url },
        }),
      });
      if (created.status !== 201)
        throw new Error(`telegram channel: ${created.status} ${await created.text()}`);
      const hook = telegram.webhookOf(bot.token)!;
      console.log(`ingest (${dialect}): switchboard, Telegram format`);
      telegramSteps = await runSteps(hook.url, hook.secret ?? '', 'tg', (sec, p) =>
        telegramUpdates(sec, Number(p.split('-')[1] ?? 0) + 1),
      );
    } finally {
      await telegram.stop();
    }
    const ours = sustained(steps);
    const theirs = sustained(baseSteps);
    return {
      scenario: 'ingest',
      dialect,
      sustainedRps: ours,
      baselineRps: theirs,
      ratioToBaseline: theirs ? round(ours / theirs, 3) : null,
      telegramSustainedRps: sustained(telegramSteps),
      telegramRatioToBaseline: theirs ? round(sustained(telegramSteps) / theirs, 3) : null,
      steps,
      telegramSteps,
      baselineSteps: baseSteps,
      webhookToSocketMs: latency,
      rssMb: { idle: round(idleRss / 2 ** 20, 1), underLoad: round(loadRss / 2 ** 20, 1) },
    };
  } finally {
    await node.stop();
  }
}
