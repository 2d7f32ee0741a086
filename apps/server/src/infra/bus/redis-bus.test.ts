import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisReachable, waitUntil } from '../../../test/node-services.ts';
import { TEST_REDIS_URL } from '../../../test/test-db.ts';
import { randomToken } from '../crypto/ids.ts';
import { eventBusContract, Inbox } from './event-bus.contract.ts';
import type { EventBus } from './event-bus.port.ts';
import { RedisBus, redactRedisUrl } from './redis-bus.ts';

const hasRedis = await redisReachable();
/** Unique per run so parallel runs (and other suites) sharing the Redis never see each other. */
const runPrefix = `sbtest:${randomToken(6)}:`;
let testNo = 0;

describe.skipIf(!hasRedis)('RedisBus', () => {
  let prefix = '';
  eventBusContract('RedisBus', async (opts) => RedisBus.connect(TEST_REDIS_URL, prefix, opts));

  // Each contract test gets its own namespace; buses opened within one test share it.
  beforeEach(() => {
    prefix = `${runPrefix}${testNo++}:`;
  });

  describe('between nodes', () => {
    let raw: Redis;
    const buses: EventBus[] = [];
    const node = async (p: string) => {
      const b = await RedisBus.connect(TEST_REDIS_URL, p);
      buses.push(b);
      return b;
    };
    const subscribers = async (channel: string) => {
      const [, n] = (await raw.pubsub('NUMSUB', channel)) as [string, number];
      return Number(n);
    };

    beforeAll(async () => {
      raw = new Redis(TEST_REDIS_URL);
    });
    afterAll(async () => {
      await raw.quit();
    });
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });

    it('two instances with the same prefix see each other’s messages', async () => {
      const p = `${runPrefix}pair:`;
      const a = await node(p);
      const b = await node(p);
      const atA = new Inbox();
      const atB = new Inbox();
      await a.subscribe('t', atA.handler);
      await b.subscribe('t', atB.handler);
      await a.publish('t', { from: 'a' });
      await b.publish('t', { from: 'b' });
      await atA.waitFor(2);
      await atB.waitFor(2);
      expect(atA.messages).toEqual(expect.arrayContaining([{ from: 'a' }, { from: 'b' }]));
      expect(atB.messages).toEqual(expect.arrayContaining([{ from: 'a' }, { from: 'b' }]));
    });

    it('different prefixes do not hear each other', async () => {
      const a = await node(`${runPrefix}x:`);
      const b = await node(`${runPrefix}y:`);
      const atB = new Inbox();
      await b.subscribe('t', atB.handler);
      await a.publish('t', 'from x');
      await b.publish('t', 'from y');
      // Redis handles commands one by one: "from x" (awaited first) would have arrived before "from y".
      await atB.waitFor(1);
      expect(atB.messages).toEqual(['from y']);
    });

    it('ignores foreign non-JSON traffic on its channels', async () => {
      const p = `${runPrefix}foreign:`;
      const a = await node(p);
      const inbox = new Inbox();
      await a.subscribe('t', inbox.handler);
      await raw.publish(`${p}t`, 'not json {');
      await raw.publish(`${p}t`, '{"ok":true}');
      expect(await inbox.waitFor(1)).toEqual([{ ok: true }]);
    });

    it('releases the Redis subscription when the last subscriber leaves and on close', async () => {
      const p = `${runPrefix}release:`;
      const a = await node(p);
      const off1 = await a.subscribe('t', () => {});
      const off2 = await a.subscribe('t', () => {});
      await a.subscribe('u', () => {});
      expect(await subscribers(`${p}t`)).toBe(1);
      await off1();
      expect(await subscribers(`${p}t`)).toBe(1);
      await off2();
      expect(await subscribers(`${p}t`)).toBe(0);
      expect(await subscribers(`${p}u`)).toBe(1);
      const started = Date.now();
      await a.close();
      expect(Date.now() - started).toBeLessThan(1000);
      await waitUntil('the closed bus to leave Redis', async () => (await subscribers(`${p}u`)) === 0);
      // A message published by another node after close reaches nobody.
      expect(await raw.publish(`${p}u`, '{}')).toBe(0);
    });

    it('an unreachable Redis gives a clear error with the cause, without the password', async () => {
      const started = Date.now();
      const err = await RedisBus.connect('redis://:sekret@127.0.0.1:1', 'x').catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^Cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
      expect((err as Error).message).toMatch(/ECONNREFUSED/);
      expect((err as Error).message).not.toContain('sekret');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  it('redacts passwords in Redis URLs', () => {
    expect(redactRedisUrl('redis://user:pw@h:6379/0')).toBe('redis://user:***@h:6379/0');
    expect(redactRedisUrl('rediss://:pw@h')).toBe('rediss://:***@h');
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379');
  });
});
