import { describe, expect, it } from 'vitest';
import { decidedPercent, delivered, progressSections, refused } from './broadcast-figures.ts';
import {
  type Broadcast,
  type BroadcastCounts,
  POLL_MS,
  SENDING_POLL_MS,
  pollInterval,
} from './broadcasts-api.ts';

const counts = (patch: Partial<BroadcastCounts>): BroadcastCounts => ({
  total: 0,
  pending: 0,
  queued: 0,
  windowClosed: 0,
  optedOut: 0,
  noIdentity: 0,
  channelInactive: 0,
  ...patch,
});

describe('broadcast figures', () => {
  it('counts every refusal reason as refused, and read as delivered', () => {
    const c = counts({
      total: 10,
      queued: 4,
      windowClosed: 2,
      optedOut: 1,
      noIdentity: 2,
      channelInactive: 1,
    });
    expect(refused(c)).toBe(6);
    expect(delivered({ queued: 0, sent: 1, delivered: 2, read: 3, failed: 1 })).toBe(5);
  });

  it('shows progress as the decided share, one section per outcome that happened', () => {
    const c = counts({ total: 4, pending: 2, queued: 1, optedOut: 1 });
    expect(decidedPercent(c)).toBe(50);
    expect(progressSections(c).map((s) => [s.outcome, s.value])).toEqual([
      ['queued', 25],
      ['opted_out', 25],
    ]);
    expect(decidedPercent(counts({}))).toBe(100);
    expect(progressSections(counts({}))).toEqual([]);
  });

  it('asks again often while it runs, less while messages wait to go out, then stops', () => {
    const delivery = { queued: 0, sent: 1, delivered: 0, read: 0, failed: 0 };
    const b = (status: Broadcast['status'], queued: number) =>
      ({ status, counts: counts({}), delivery: { ...delivery, queued } }) as Broadcast;
    expect(pollInterval(undefined)).toBe(POLL_MS);
    expect(pollInterval(b('running', 0))).toBe(POLL_MS);
    expect(pollInterval(b('done', 2))).toBe(SENDING_POLL_MS);
    expect(pollInterval(b('done', 0))).toBe(false);
  });
});
