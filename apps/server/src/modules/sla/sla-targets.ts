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
 * A bot's hold on the conversation (its bot session): `until` is the hand-off, null while the bot still
 * holds it. Bot sessions begin with the conversation, so every clock that would start before the
 * hand-off is held.
 */
export interface BotHold {
  until: number | null;
}

/**
 * SLA clocks do not run while a bot holds a conversation (docs/metrics.md, "SLA"): before the hand-off
 * no target is wanted; after it, a target that would have started during the hold starts at the
 * hand-off. Targets of later waits are untouched.
 */
export function heldBack(wanted: WantedTarget[], hold: BotHold | null, at: number): WantedTarget[] {
  if (!hold) return wanted;
  const out: WantedTarget[] = [];
  for (const w of wanted) {
    if (hold.until !== null && w.startedAt >= hold.until) out.push(w);
    else if (hold.until !== null && at >= hold.until) out.push({ ...w, startedAt: hold.until });
  }
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
  // The wait it measured was answered (none now, or a later one began); a target held back to the
  // hand-off started after its wait did, so "later" is measured from its start.
  return c.resolvedAt === null && (c.awaitingSince === null || c.awaitingSince > t.startedAt);
}
