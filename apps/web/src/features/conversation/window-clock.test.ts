import { describe, expect, it } from 'vitest';
import { COUNTDOWN_FROM_MS, formatRemaining, nextTickMs, remainingMs } from './window-clock.ts';

describe('messaging window clock', () => {
  it("counts by the server's clock, whatever the browser's says", () => {
    // The browser runs 5 minutes fast; 10 s after the read, 50 s are left of the minute.
    const serverNow = 1_000_000;
    const fetchedAt = serverNow + 300_000;
    expect(remainingMs(serverNow + 60_000, serverNow, fetchedAt, fetchedAt + 10_000)).toBe(50_000);
  });

  it('formats what is left', () => {
    expect(formatRemaining(59 * 60_000 + 59_000)).toBe('59:59');
    expect(formatRemaining(4_001)).toBe('0:05');
    expect(formatRemaining(1000)).toBe('0:01');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(-5000)).toBe('0:00');
    expect(formatRemaining(3_600_000 + 61_000)).toBe('1:01:01');
  });

  it('sleeps until the last hour, then ticks on each second, and stops at zero', () => {
    expect(nextTickMs(COUNTDOWN_FROM_MS + 5000)).toBe(5000);
    expect(nextTickMs(10_250)).toBe(250);
    expect(nextTickMs(10_000)).toBe(1000);
    expect(nextTickMs(0)).toBe(Number.POSITIVE_INFINITY);
  });
});
