import type { Clock } from '../../../infra/clock.ts';
import { DomainError } from '../../../lib/domain-error.ts';

/**
 * Fixed-window counters per key, in this process's memory. Per-IP limits come from @fastify/rate-limit;
 * this one counts per visitor, which is only known after the token is verified. With several nodes each
 * counts its own share, which still bounds a visitor to (nodes × max) per window.
 */
export class VisitorRateLimit {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one hit; throws rate_limited (429) once the key went over its allowance. */
  hit(key: string): void {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.prune(now);
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > this.max) {
      const seconds = Math.ceil((w.resetAt - now) / 1000);
      throw new DomainError('rate_limited', `Too many requests; try again in ${seconds} s`);
    }
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    // Still full (a flood of distinct keys): forget the oldest half rather than grow without bound.
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.floor(this.maxKeys / 2);
      for (const k of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(k);
      }
    }
  }
}
