import type { SlaMetric } from '@switchboard/shared';
import type { CycleState } from '../reports/cycle-reducer.ts';
import { type BotHold, heldBack, metBy, type WantedTarget, targetKey, wantedTargets } from './sla-targets.ts';

/** One SLA target as the reducer sees it (a row of sla_targets). */
export interface TargetState {
  id: string;
  policyId: string;
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
  dueAt: number;
  endedAt: number | null;
  outcome: 'met' | 'breached' | null;
  decidedAt: number | null;
  breachEmitted: boolean;
  channelId: string;
  teamId: string | null;
  userId: string | null;
}

export interface SlaStepInput {
  /** The conversation's targets of its current cycle and any still running (ended or not). */
  targets: TargetState[];
  /** The cycle after the fact (the reports reducer's state). */
  cycle: CycleState | null;
  at: number;
  /** The operator who wrote the fact's message, when it is a human reply: credited with what it meets. */
  replierId: string | null;
  /** The conversation's bot session, if it had one: no clock runs before its hand-off. */
  hold?: BotHold | null;
  /** A new target for a wanted one, under the conversation's policy now; null: no policy asks for it. */
  start(w: WantedTarget): { id: string; policyId: string; dueAt: number } | null;
}

export interface SlaStep {
  changed: TargetState[];
  started: TargetState[];
  dropped: string[];
}

/**
 * The SLA counterpart of the cycle reducer, fed after it with every fact, live and in a rebuild:
 * a running target past its due time is breached (decided at the due time, whoever notices first —
 * this or the breach job); a target the cycle no longer asks for ends met, breached or unmeasured;
 * a target the cycle asks for and has not had starts under the policy that applies now.
 */
export function applySlaStep(input: SlaStepInput): SlaStep {
  const { cycle, at } = input;
  const changed: TargetState[] = [];
  const dropped: string[] = [];
  const wanted = heldBack(wantedTargets(cycle), input.hold ?? null, at);
  const wantedKeys = new Set(wanted.map(targetKey));
  const credit = (t: TargetState, met: boolean) => ({
    teamId: cycle?.teamId ?? t.teamId,
    userId: met && t.metric !== 'resolution' ? input.replierId : (cycle?.userId ?? t.userId),
  });
  for (const t of input.targets) {
    if (t.endedAt !== null) continue;
    const overdue = t.outcome === 'breached' || at > t.dueAt;
    if (wantedKeys.has(targetKey(t))) {
      if (overdue && t.outcome === null)
        changed.push({ ...t, outcome: 'breached', decidedAt: t.dueAt, ...credit(t, false) });
      continue;
    }
    if (overdue) {
      const decided = t.outcome === 'breached' ? {} : { decidedAt: t.dueAt, ...credit(t, false) };
      changed.push({ ...t, outcome: 'breached', endedAt: at, ...decided });
    } else if (metBy(t, cycle)) {
      changed.push({ ...t, outcome: 'met', endedAt: at, decidedAt: at, ...credit(t, true) });
    } else dropped.push(t.id);
  }
  const known = new Set(input.targets.map(targetKey));
  const started: TargetState[] = [];
  for (const w of wanted) {
    if (known.has(targetKey(w)) || !cycle) continue;
    const s = input.start(w);
    if (!s) continue;
    const breached = at > s.dueAt;
    started.push({
      ...w,
      id: s.id,
      policyId: s.policyId,
      dueAt: s.dueAt,
      endedAt: null,
      outcome: breached ? 'breached' : null,
      decidedAt: breached ? s.dueAt : null,
      breachEmitted: false,
      channelId: cycle.channelId,
      teamId: cycle.teamId,
      userId: cycle.userId,
    });
  }
  return { changed, started, dropped };
}

/** The conversation's nearest running target: what the inbox shows and sorts by. */
export function nearestTarget(targets: TargetState[]): TargetState | null {
  let best: TargetState | null = null;
  for (const t of targets) if (t.endedAt === null && (!best || t.dueAt < best.dueAt)) best = t;
  return best;
}
