import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { LOGIN_WINDOW_MS, type LoginThrottle, windowStart } from './login-throttle.port.ts';

/** Counters in the `login_throttle` table: one upserted row per key and window. */
export class SqlLoginThrottle implements LoginThrottle {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly windowMs = LOGIN_WINDOW_MS,
  ) {}

  async hit(key: string): Promise<number> {
    const now = this.clock.now();
    const start = windowStart(now, this.windowMs);
    const row = await this.db.kysely
      .insertInto('login_throttle')
      .values({ key, window_start: start, hits: 1, expires_at: start + this.windowMs })
      .onConflict((oc) =>
        oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`login_throttle.hits + 1` }),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    // Old windows are useless; sweep them at most once a window per node.
    if (now - this.lastSweep >= this.windowMs) {
      this.lastSweep = now;
      await this.db.kysely.deleteFrom('login_throttle').where('expires_at', '<=', now).execute();
    }
    return Number(row.hits);
  }

  retryAfterMs(): number {
    const now = this.clock.now();
    return windowStart(now, this.windowMs) + this.windowMs - now;
  }

  async close(): Promise<void> {}
}
