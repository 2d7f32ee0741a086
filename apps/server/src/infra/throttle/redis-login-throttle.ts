import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { LOGIN_WINDOW_MS, type LoginThrottle, windowStart } from './login-throttle.port.ts';

/** Counters as Redis keys (INCR, expiring with their window), for installations with REDIS_URL. */
export class RedisLoginThrottle implements LoginThrottle {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** `prefix` keeps installations (and test runs) sharing one Redis apart. */
  static async connect(
    url: string,
    prefix: string,
    clock: Clock,
    windowMs = LOGIN_WINDOW_MS,
  ): Promise<RedisLoginThrottle> {
    // No offline queue: while Redis is down a sign-in fails at once (503) instead of hanging.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
    redis.on('error', () => {});
    await redis.connect();
    return new RedisLoginThrottle(redis, prefix, clock, windowMs);
  }

  async hit(key: string): Promise<number> {
    const start = windowStart(this.clock.now(), this.windowMs);
    const k = `${this.prefix}${key}:${start}`;
    const res = await this.redis
      .multi()
      .incr(k)
      .pexpire(k, this.windowMs * 2)
      .exec();
    const [err, count] = res?.[0] ?? [new Error('Redis did not answer the login counter')];
    if (err) throw err;
    return Number(count);
  }

  retryAfterMs(): number {
    const now = this.clock.now();
    return windowStart(now, this.windowMs) + this.windowMs - now;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
