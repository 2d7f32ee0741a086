import type { SlaPolicy, SlaPolicyInput } from '@switchboard/shared';

/** The units a target is typed in; the API takes seconds. */
export const SLA_UNITS = ['minutes', 'hours', 'days'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];
const UNIT_SECONDS: Record<SlaUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };

export const TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type TargetKey = (typeof TARGETS)[number];

/** One target as the form holds it: empty amount = no such target. */
export interface TargetDraft {
  amount: number | '';
  unit: SlaUnit;
}

export interface SlaDraft {
  name: string;
  active: boolean;
  businessHours: boolean;
  targets: Record<TargetKey, TargetDraft>;
  channelIds: string[];
  teamIds: string[];
  labels: string[];
}

/** The largest unit that shows the seconds as a whole number (90 min stays minutes, 7200 s is 2 hours). */
export function targetOf(seconds: number | null): TargetDraft {
  if (!seconds) return { amount: '', unit: 'minutes' };
  for (const unit of ['days', 'hours'] as const)
    if (seconds % UNIT_SECONDS[unit] === 0) return { amount: seconds / UNIT_SECONDS[unit], unit };
  return { amount: Math.round(seconds / 60), unit: 'minutes' };
}

export function secondsOf(t: TargetDraft): number | null {
  return t.amount === '' || t.amount <= 0 ? null : Math.round(t.amount * UNIT_SECONDS[t.unit]);
}

export function emptyDraft(): SlaDraft {
  return {
    name: '',
    active: true,
    businessHours: false,
    targets: {
      firstResponse: { amount: '', unit: 'minutes' },
      nextResponse: { amount: '', unit: 'minutes' },
      resolution: { amount: '', unit: 'hours' },
    },
    channelIds: [],
    teamIds: [],
    labels: [],
  };
}

export function draftOf(p: SlaPolicy): SlaDraft {
  return {
    name: p.name,
    active: p.active,
    businessHours: p.businessHours,
    targets: {
      firstResponse: targetOf(p.firstResponseSeconds),
      nextResponse: targetOf(p.nextResponseSeconds),
      resolution: targetOf(p.resolutionSeconds),
    },
    channelIds: p.appliesTo.channelIds ?? [],
    teamIds: p.appliesTo.teamIds ?? [],
    labels: p.appliesTo.labels ?? [],
  };
}

/** The body for POST or PATCH: an empty list means "any", so it is left out rather than sent empty. */
export function bodyOf(d: SlaDraft): Omit<SlaPolicyInput, 'position'> {
  return {
    name: d.name.trim(),
    active: d.active,
    businessHours: d.businessHours,
    firstResponseSeconds: secondsOf(d.targets.firstResponse),
    nextResponseSeconds: secondsOf(d.targets.nextResponse),
    resolutionSeconds: secondsOf(d.targets.resolution),
    appliesTo: {
      ...(d.channelIds.length ? { channelIds: d.channelIds } : {}),
      ...(d.teamIds.length ? { teamIds: d.teamIds } : {}),
      ...(d.labels.length ? { labels: d.labels } : {}),
    },
  };
}

/** What the form refuses before asking the server (the server checks the same). */
export function draftProblem(d: SlaDraft): 'name' | 'noTarget' | 'tooShort' | null {
  if (!d.name.trim()) return 'name';
  const secs = TARGETS.map((k) => secondsOf(d.targets[k]));
  if (secs.every((s) => s === null)) return 'noTarget';
  if (secs.some((s) => s !== null && s < 60)) return 'tooShort';
  return null;
}

/** The two positions to swap to move a policy one place up (-1) or down (+1); null at an end. */
export function swapFor(list: SlaPolicy[], id: string, dir: -1 | 1): [SlaPolicy, SlaPolicy] | null {
  const i = list.findIndex((p) => p.id === id);
  const j = i + dir;
  if (i < 0 || j < 0 || j >= list.length) return null;
  return [list[i]!, list[j]!];
}
