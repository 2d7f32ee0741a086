import type { DialectName } from '../../src/infra/db/database.ts';
import { ConsoleClient } from '../lib/console-client.ts';
import { openConversations, orderViolations, queueReplies } from '../lib/conversations.ts';
import { ADMIN, createEnvironment } from '../lib/environment.ts';
import { FakeProvider, type ProviderRequest } from '../lib/fake-provider.ts';
import { ScenarioReport, histogram, runScenario, seconds } from '../lib/report.ts';
import { ServerProcess } from '../lib/server-process.ts';
import { deliveryStatuses, jobCounts } from '../lib/store-queries.ts';
import { pollUntil, sleep } from '../lib/wait.ts';

export interface ProviderOutageOptions {
  dialect: DialectName;
  conversations: number;
  repliesPerConversation: number;
  /** First the provider answers 500 for this long ... */
  errorMs: number;
  /** ... then 429 with Retry-After: `retryAfterSec` for this long, then 200 again. */
  rateLimitMs: number;
  retryAfterSec: number;
}

const POLL_MS = 250;
/** Time a due retry may wait beyond its schedule: the worker's poll interval plus a loaded machine. */
const LATENESS_ALLOWED_MS = POLL_MS + 2000;
/** Timer and clock granularity between the server's and the provider's view of "now". */
const EARLY_ALLOWED_MS = 25;

interface GapFinding {
  kind: '500' | '429';
  attempt: number;
  gapMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * The spacing of each reply's attempts against what the queue promises: after a 429 exactly the
 * Retry-After; after a 500 (attempt n) exponential backoff with jitter, between ½ and 1 × 2^(n-1) s.
 */
function backoffFindings(requests: ProviderRequest[]): GapFinding[] {
  const byMessage = new Map<string, ProviderRequest[]>();
  for (const r of requests) byMessage.set(r.deliveryId, [...(byMessage.get(r.deliveryId) ?? []), r]);
  const out: GapFinding[] = [];
  for (const list of byMessage.values()) {
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const gapMs = list[i]!.at - prev.at;
      if (prev.answer.retryAfterSec !== undefined) {
        const ms = prev.answer.retryAfterSec * 1000;
        out.push({ kind: '429', attempt: i, gapMs, minMs: ms, maxMs: ms });
      } else {
        const base = 1000 * 2 ** (i - 1);
        out.push({ kind: '500', attempt: i, gapMs, minMs: base / 2, maxMs: base });
      }
    }
  }
  return out;
}

/**
 * 5. Provider outage: the callback answers 500, then 429 with Retry-After, for a while. Sends must back
 * off as specified, all succeed once it recovers, exactly once each, in order per conversation.
 */
export function providerOutage(o: ProviderOutageOptions): Promise<ScenarioReport> {
  const report = new ScenarioReport('5', `provider outage: 500, then 429 with Retry-After (${o.dialect})`);
  return runScenario(report, async (r) => {
    const env = await createEnvironment(o.dialect, { WORKER_POLL_MS: String(POLL_MS) });
    let secret: string | undefined;
    const provider = await new FakeProvider(() => secret).start();
    const server = await ServerProcess.create('node', env.env, env.dataDir);
    try {
      await server.start();
      const admin = await ConsoleClient.login(server.url, ADMIN.email, ADMIN.password);
      const channel = await admin.createApiChannel('Fault provider outage', provider.url);
      secret = channel.secret;
      const prefix = `f5-${Date.now().toString(36)}`;
      const convIds = await openConversations(server.url, env.db.db, channel, prefix, o.conversations);

      const outageStart = Date.now();
      const rateLimitFrom = outageStart + o.errorMs;
      const recoveredAt = rateLimitFrom + o.rateLimitMs;
      provider.answer = (q) => {
        if (q.at < rateLimitFrom) return { status: 500 };
        if (q.at < recoveredAt) return { status: 429, retryAfterSec: o.retryAfterSec };
        return { status: 200 };
      };
      const total = o.conversations * o.repliesPerConversation;
      const plan = await queueReplies(admin, convIds, o.repliesPerConversation, prefix);

      const done = await pollUntil(
        async () => {
          if (provider.acceptedCounts().size < total) return undefined;
          const st = await deliveryStatuses(env.db.db, plan.all);
          return st.sent === total ? st : undefined;
        },
        o.errorMs + o.rateLimitMs + 60_000,
        100,
      );
      const lastAccepted = Math.max(...provider.accepted().map((q) => q.at));
      await sleep(500);

      const counts = provider.acceptedCounts();
      const missing = plan.all.filter((id) => !counts.has(id));
      const duplicates = [...counts].filter(([, n]) => n > 1);
      const answers: Record<string, number> = {};
      for (const q of provider.requests) answers[q.answer.status] = (answers[q.answer.status] ?? 0) + 1;
      const gaps = backoffFindings(provider.requests);
      const early = gaps.filter((g) => g.gapMs < g.minMs - EARLY_ALLOWED_MS);
      const late = gaps.filter((g) => g.gapMs > g.maxMs + LATENESS_ALLOWED_MS);
      const describe = (kind: '500' | '429') => {
        const gs = gaps.filter((g) => g.kind === kind);
        if (gs.length === 0) return `after ${kind}: no retries`;
        const window = kind === '429' ? 'exactly Retry-After' : 'the [½, 1] × 2^(n-1) s backoff window';
        const lateness = Math.max(0, ...gs.map((g) => g.gapMs - g.maxMs));
        const earliest = Math.min(...gs.map((g) => g.gapMs - g.minMs));
        return `after ${kind}: ${gs.length} retries against ${window}: earliest ${earliest} ms after its start, latest ${lateness} ms past its end`;
      };
      const violations = orderViolations(plan, provider.requests);
      const statuses = await deliveryStatuses(env.db.db, plan.all);
      const jobs = await jobCounts(env.db.db);

      r.sent.push(
        `${total} replies queued (202) in ${o.conversations} conversations × ${o.repliesPerConversation}`,
      );
      r.fault.push(
        `provider answered 500 for ${seconds(o.errorMs)}, then 429 Retry-After: ${o.retryAfterSec} for ${seconds(o.rateLimitMs)}, then 200`,
        `${provider.requests.length} requests: ${histogram(answers)}`,
        describe('500'),
        describe('429'),
      );
      r.stored.push(`delivery status of the replies: ${histogram(statuses)}; jobs: ${histogram(jobs)}`);
      r.delivered.push(
        `${counts.size}/${total} distinct replies accepted; missing ${missing.length}, duplicated ${duplicates.length}`,
        `last accepted ${seconds(lastAccepted - recoveredAt)} after the provider recovered`,
        `order violations: ${violations.length}`,
      );
      r.figure('replies', total);
      r.figure('requests', provider.requests.length);
      r.figure('drainedAfterRecoveryMs', lastAccepted - recoveredAt);

      r.check(
        'the outage was hit (500 and 429 answered)',
        (answers[500] ?? 0) > 0 && (answers[429] ?? 0) > 0,
        histogram(answers),
      );
      r.check(
        'no retry earlier than the backoff or Retry-After allows',
        early.length === 0,
        early
          .slice(0, 3)
          .map((g) => JSON.stringify(g))
          .join('; '),
      );
      r.check(
        `no retry later than scheduled + ${LATENESS_ALLOWED_MS} ms`,
        late.length === 0,
        late
          .slice(0, 3)
          .map((g) => JSON.stringify(g))
          .join('; '),
      );
      r.check(
        'every reply delivered after recovery',
        missing.length === 0 && done !== undefined,
        `missing ${missing.length}`,
      );
      r.check(
        'exactly once (no kill, so no duplicate)',
        duplicates.length === 0,
        `${duplicates.length} duplicated`,
      );
      r.check(
        'every reply ends marked sent, no dead job',
        statuses.sent === total && !Object.keys(jobs).some((k) => k.endsWith('/dead')),
        histogram(statuses),
      );
      r.check('per-conversation order preserved', violations.length === 0, violations.slice(0, 3).join('; '));
    } finally {
      report.logs.push(`--- server output ---\n${server.log()}`);
      report.serverErrors.push(...server.errors);
      await server.stop();
      await provider.stop();
      await env.cleanup();
    }
  });
}
