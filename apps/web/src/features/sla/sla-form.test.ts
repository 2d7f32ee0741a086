import type { SlaPolicy } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { bodyOf, draftOf, draftProblem, emptyDraft, secondsOf, swapFor, targetOf } from './sla-form.ts';

const policy = (id: string, position: number, over: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id,
  name: id,
  position,
  firstResponseSeconds: 900,
  nextResponseSeconds: null,
  resolutionSeconds: 2 * 86_400,
  businessHours: true,
  appliesTo: { channelIds: ['ch1'] },
  active: true,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

describe('SLA policy form', () => {
  it('shows seconds in the largest whole unit and converts back', () => {
    expect(targetOf(900)).toEqual({ amount: 15, unit: 'minutes' });
    expect(targetOf(7200)).toEqual({ amount: 2, unit: 'hours' });
    expect(targetOf(172_800)).toEqual({ amount: 2, unit: 'days' });
    expect(targetOf(5400)).toEqual({ amount: 90, unit: 'minutes' });
    expect(targetOf(null)).toEqual({ amount: '', unit: 'minutes' });
    expect(secondsOf({ amount: 1.5, unit: 'hours' })).toBe(5400);
    expect(secondsOf({ amount: '', unit: 'hours' })).toBeNull();
  });

  it('round-trips a policy and leaves empty scopes out (empty = any)', () => {
    const body = bodyOf(draftOf(policy('p', 0)));
    expect(body).toEqual({
      name: 'p',
      active: true,
      businessHours: true,
      firstResponseSeconds: 900,
      nextResponseSeconds: null,
      resolutionSeconds: 172_800,
      appliesTo: { channelIds: ['ch1'] },
    });
    expect(bodyOf({ ...emptyDraft(), name: ' x ' }).appliesTo).toEqual({});
  });

  it('refuses a nameless policy, one without targets and a target under a minute', () => {
    const d = emptyDraft();
    expect(draftProblem(d)).toBe('name');
    expect(draftProblem({ ...d, name: 'Gold' })).toBe('noTarget');
    const short = {
      ...d,
      name: 'Gold',
      targets: { ...d.targets, firstResponse: { amount: 0.5, unit: 'minutes' as const } },
    };
    expect(draftProblem(short)).toBe('tooShort');
    const ok = {
      ...d,
      name: 'Gold',
      targets: { ...d.targets, firstResponse: { amount: 5, unit: 'minutes' as const } },
    };
    expect(draftProblem(ok)).toBeNull();
  });

  it('moves a policy by swapping with its neighbour, not past the ends', () => {
    const list = [policy('a', 0), policy('b', 3), policy('c', 7)];
    expect(swapFor(list, 'b', -1)?.map((p) => p.id)).toEqual(['b', 'a']);
    expect(swapFor(list, 'b', 1)?.map((p) => p.id)).toEqual(['b', 'c']);
    expect(swapFor(list, 'a', -1)).toBeNull();
    expect(swapFor(list, 'c', 1)).toBeNull();
  });
});
