import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './test-db.ts';

let redisAvailable: boolean | undefined;

/** Whether the test Redis answers; like PostgreSQL, CI must have it, so there it is an error to lack it. */
export async function redisReachable(): Promise<boolean> {
  if (redisAvailable !== undefined) return redisAvailable;
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    redisAvailable = (await client.ping()) === 'PONG';
  } catch {
    redisAvailable = false;
  } finally {
    client.disconnect();
  }
  if (!redisAvailable && process.env.CI) throw new Error(`Redis is required in CI (${TEST_REDIS_URL})`);
  return redisAvailable;
}

/** Polls `check` until it holds; fails with `what` and the last observed value after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
