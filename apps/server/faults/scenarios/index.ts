import type { DialectName } from '../../src/infra/db/database.ts';
import { ScenarioReport } from '../lib/report.ts';
import { inboundKill } from './inbound-kill.ts';
import { mediaStoreError } from './media-store-error.ts';
import { outboundKill } from './outbound-kill.ts';
import { poisonEvent } from './poison-event.ts';
import { postgresRestart } from './postgres-restart.ts';
import { providerOutage } from './provider-outage.ts';
import { redisOutage } from './redis-outage.ts';
import { webhookKill } from './webhook-kill.ts';
import { ruleKill } from './rule-kill.ts';

export type Size = 'full' | 'short';

export interface PlannedScenario {
  id: string;
  label: string;
  run(): Promise<ScenarioReport>;
}

const skipped = (id: string, title: string, why: string): PlannedScenario => ({
  id,
  label: title,
  run: async () => {
    const r = new ScenarioReport(id, title);
    r.skipped = why;
    return r;
  },
});

/**
 * The scenarios at full size (`npm run test:faults`) or the short CI form (1, 2, 5 and 8 at small scale, 7
 * with 200 messages on every dialect,
 * job leases of a killed node released at once instead of waited out). `dialects` are those reachable.
 */
export function plan(size: Size, dialects: DialectName[]): PlannedScenario[] {
  const hasPg = dialects.includes('postgres');
  const out: PlannedScenario[] = [];
  if (size === 'short') {
    // One dialect keeps CI under a minute: PostgreSQL (the multi-node one) when there is one.
    const d: DialectName = hasPg ? 'postgres' : 'sqlite';
    out.push(
      {
        id: '1',
        label: `inbound kill (${d})`,
        run: () =>
          inboundKill({
            dialect: d,
            messages: 300,
            contacts: 30,
            killAt: 0.4,
            downMs: 300,
            fastForwardLeases: true,
            concurrency: 16,
          }),
      },
      {
        id: '2',
        label: `outbound kill (${d})`,
        run: () =>
          outboundKill({
            dialect: d,
            conversations: 20,
            repliesPerConversation: 10,
            killAt: 0.4,
            downMs: 300,
            fastForwardLeases: true,
            providerLatencyMs: [10, 40],
          }),
      },
      {
        id: '5',
        label: `provider outage (${d})`,
        run: () =>
          providerOutage({
            dialect: d,
            conversations: 5,
            repliesPerConversation: 4,
            errorMs: 3000,
            // A third attempt comes 3.5–7 s after the first (backoff ½–1 × 2^(n-1) s after attempts at
            // ~0 and ≤ 3 s): a 429 phase until 7 s is hit every time, not only by luck of the jitter.
            rateLimitMs: 4000,
            retryAfterSec: 1,
          }),
      },
    );
    out.push({
      id: '8',
      label: `webhook delivery kill (${d})`,
      run: () =>
        webhookKill({
          dialect: d,
          messages: 100,
          contacts: 10,
          killAt: 0.4,
          downMs: 300,
          fastForwardLeases: true,
          receiverLatencyMs: [5, 30],
        }),
    });
    // No kill and no lease to wait out, so it is cheap enough to run on every dialect.
    for (const pd of dialects)
      out.push({
        id: '7',
        label: `poison event (${pd})`,
        run: () => poisonEvent({ dialect: pd, messages: 200, contacts: 20, concurrency: 16 }),
      });
    out.push({
      id: '9',
      label: `automation rule kill (${d})`,
      run: () =>
        ruleKill({
          dialect: d,
          messages: 80,
          contacts: 20,
          killAt: 0.3,
          downMs: 300,
          fastForwardLeases: true,
        }),
    });
    return out;
  }
  for (const d of dialects) {
    out.push({
      id: '1',
      label: `inbound kill (${d})`,
      run: () =>
        inboundKill({
          dialect: d,
          messages: 5000,
          contacts: 200,
          killAt: 0.4,
          downMs: 1000,
          fastForwardLeases: false,
          concurrency: 32,
        }),
    });
  }
  for (const d of dialects) {
    out.push({
      id: '2',
      label: `outbound kill (${d})`,
      run: () =>
        outboundKill({
          dialect: d,
          conversations: 100,
          repliesPerConversation: 30,
          killAt: 0.4,
          downMs: 1000,
          fastForwardLeases: false,
          providerLatencyMs: [5, 25],
        }),
    });
  }
  const pgOnly = 'PostgreSQL is not reachable';
  out.push(
    hasPg
      ? {
          id: '3',
          label: 'PostgreSQL restart',
          run: () =>
            postgresRestart({ messages: 3000, contacts: 100, ratePerSec: 150, stopAt: 0.3, downMs: 2000 }),
        }
      : skipped('3', 'PostgreSQL restarted mid-load', pgOnly),
    hasPg
      ? {
          id: '4',
          label: 'Redis outage',
          run: () =>
            redisOutage({
              inboundPerNode: 300,
              conversations: 20,
              repliesPerConversation: 5,
              outageMs: 10_000,
            }),
        }
      : skipped('4', 'Redis stopped under two nodes', pgOnly),
  );
  for (const d of dialects) {
    out.push({
      id: '5',
      label: `provider outage (${d})`,
      run: () =>
        providerOutage({
          dialect: d,
          conversations: 20,
          repliesPerConversation: 10,
          errorMs: 8000,
          rateLimitMs: 6000,
          retryAfterSec: 2,
        }),
    });
  }
  out.push(
    hasPg
      ? { id: '6', label: 'media store error', run: () => mediaStoreError({ photos: 10, brokenMs: 5000 }) }
      : skipped('6', 'file store error on media download', pgOnly),
  );
  for (const d of dialects)
    out.push({
      id: '8',
      label: `webhook delivery kill (${d})`,
      run: () =>
        webhookKill({
          dialect: d,
          messages: 1000,
          contacts: 50,
          killAt: 0.4,
          downMs: 1000,
          fastForwardLeases: false,
          receiverLatencyMs: [5, 25],
        }),
    });
  for (const d of dialects)
    out.push({
      id: '7',
      label: `poison event (${d})`,
      run: () => poisonEvent({ dialect: d, messages: 1000, contacts: 50, concurrency: 16 }),
    });
  for (const d of dialects)
    out.push({
      id: '9',
      label: `automation rule kill (${d})`,
      run: () =>
        ruleKill({
          dialect: d,
          messages: 1000,
          contacts: 100,
          killAt: 0.4,
          downMs: 1000,
          fastForwardLeases: false,
        }),
    });
  return out;
}
