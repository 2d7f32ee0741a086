import type { SlaMetric } from '@switchboard/shared';
import type { CycleState } from '../reports/cycle-reducer.ts';

/** A target the current cycle asks for: which metric, from when. */
export interface WantedTarget {
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
}

export function targetKey(t: { metric: string; cycle: number; startedAt: number }): string {
  return `${t.cycle}|${t.metric}|${t.startedAt}`;
}

/**
 * The SLA clocks a cycle has running, read from the same cycle state the reports keep (docs/metrics.md):
 * first response from the cycle's first customer message until the first human reply; next response
 * from every later unanswered customer message until the next human reply; resolution from the first
 * customer message until the cycle is resolved.
 */
export function wantedTargets(c: CycleState | null): WantedTarget[] {
  if (!c || c.resolvedAt !== null || c.firstCustomerAt === null) return [];
  const out: WantedTarget[] = [{ metric: 'resolution', cycle: c.seq, startedAt: c.firstCustomerAt }];
  if (c.firstResponseAt === null)
    out.push({ metric: 'first_response', cycle: c.seq, startedAt: c.firstCustomerAt });
  else if (c.awaitingSince !== null)
    out.push({ metric: 'next_response', cycle: c.seq, startedAt: c.awaitingSince });
  return out;
}

/**
 * How a running target ended when the cycle stopped asking for it: met (its reply or resolution came),
 * or null — not measured (a response clock stopped by a resolution without a reply, like FRT itself).
 * A breach is decided before this: an end after the due time is a breach whatever ended it.
 */
export function metBy(
  t: { metric: string; cycle: number; startedAt: number },
  c: CycleState | null,
): boolean {
  if (!c) return false;
  if (t.metric === 'resolution') return c.seq > t.cycle || c.resolvedAt !== null;
  if (c.seq !== t.cycle) return false;
  if (t.metric === 'first_response') return c.firstResponseAt !== null;
  return c.resolvedAt === null && c.awaitingSince !== t.startedAt;
}
