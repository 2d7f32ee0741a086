import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { LoginThrottle } from './login-throttle.port.ts';

/**
 * The behaviour every LoginThrottle must have. `open(clock)` returns a throttle; throttles opened within
 * one test share their counters (two nodes of one installation), those of different tests do not.
 */
export function loginThrottleContract(
  name: string,
  open: (clock: ManualClock) => Promise<LoginThrottle>,
): void {
  describe(`LoginThrottle contract (${name})`, () => {
    const opened: LoginThrottle[] = [];
    const node = async (clock: ManualClock) => {
      const t = await open(clock);
      opened.push(t);
      return t;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.close()));
    });

    it('counts attempts per key within a window', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 10));
      const t = await node(clock);
      expect(await t.hit('ip:10.0.0.1')).toBe(1);
      expect(await t.hit('ip:10.0.0.1')).toBe(2);
      expect(await t.hit('email:a@example.com')).toBe(1);
      expect(await t.hit('ip:10.0.0.1')).toBe(3);
    });

    it('starts again in the next window and says when that is', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 45));
      const t = await node(clock);
      await t.hit('k');
      await t.hit('k');
      expect(t.retryAfterMs()).toBe(15_000);
      clock.advance(15_000);
      expect(await t.hit('k')).toBe(1);
    });

    it('two nodes share one counter', async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
      const a = await node(clock);
      const b = await node(clock);
      expect(await a.hit('email:x@example.com')).toBe(1);
      expect(await b.hit('email:x@example.com')).toBe(2);
      const both = await Promise.all([a.hit('email:x@example.com'), b.hit('email:x@example.com')]);
      expect(both.sort()).toEqual([3, 4]);
    });
  });
}
