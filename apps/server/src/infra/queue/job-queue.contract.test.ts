import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/test-db.ts';
import { ManualClock } from '../clock.ts';
import { backoffMs } from './job-queue.port.ts';
import { SqlJobQueue } from './sql-job-queue.ts';

const dialects = await testDialects();

describe.each(dialects)('JobQueue contract (%s)', (dialect) => {
  let t: TestDatabase;
  let clock: ManualClock;
  let queue: SqlJobQueue;

  beforeEach(async () => {
    t = await createTestDatabase(dialect);
    clock = new ManualClock();
    queue = new SqlJobQueue(t.db, clock, () => 0.5);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('a job enqueued in a rolled-back transaction never exists', async () => {
    await expect(
      t.db.kysely.transaction().execute(async (tx) => {
        await queue.enqueue(tx, { type: 'x', payload: { a: 1 } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await queue.claim(10, 30_000)).toEqual([]);
  });

  it('claims due jobs once, with payload, and completes them', async () => {
    const id = await queue.enqueue(t.db.kysely, { type: 'x', payload: { a: 1 } });
    await queue.enqueue(t.db.kysely, { type: 'later', payload: null, runAt: clock.now() + 60_000 });
    const [job, ...rest] = await queue.claim(10, 30_000);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({ id, type: 'x', payload: { a: 1 }, attempts: 1 });
    expect(await queue.claim(10, 30_000)).toEqual([]);
    expect(await queue.complete(job!)).toBe(true);
    expect((await queue.get(id))?.status).toBe('done');
    clock.advance(60_000);
    expect((await queue.claim(10, 30_000)).map((j) => j.type)).toEqual(['later']);
  });

  it('redelivers a job whose lease expired (at-least-once) and rejects the stale worker', async () => {
    await queue.enqueue(t.db.kysely, { type: 'x', payload: 1 });
    const [first] = await queue.claim(1, 10_000);
    clock.advance(10_001);
    const [second] = await queue.claim(1, 10_000);
    expect(second?.id).toBe(first?.id);
    expect(second?.attempts).toBe(2);
    expect(await queue.complete(first!)).toBe(false);
    expect(await queue.complete(second!)).toBe(true);
  });

  it('retries with exponential backoff and jitter, then goes dead', async () => {
    const id = await queue.enqueue(t.db.kysely, { type: 'x', payload: 1, maxAttempts: 3 });
    const start = clock.now();
    let [job] = await queue.claim(1, 10_000);
    expect(await queue.fail(job!, 'boom 1')).toBe('retry');
    expect((await queue.get(id))?.runAt).toBe(start + backoffMs(1, () => 0.5));
    expect(await queue.claim(1, 10_000)).toEqual([]);
    clock.advance(backoffMs(1, () => 0.5));
    [job] = await queue.claim(1, 10_000);
    expect(await queue.fail(job!, 'boom 2')).toBe('retry');
    expect((await queue.get(id))?.runAt).toBe(clock.now() + backoffMs(2, () => 0.5));
    clock.advance(backoffMs(2, () => 0.5));
    [job] = await queue.claim(1, 10_000);
    expect(await queue.fail(job!, 'boom 3')).toBe('dead');
    expect(await queue.get(id)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'boom 3' });
    clock.advance(86_400_000);
    expect(await queue.claim(1, 10_000)).toEqual([]);
  });

  it('honours a given retry-after exactly; a final error goes dead at once', async () => {
    const a = await queue.enqueue(t.db.kysely, { type: 'a', payload: 1 });
    const b = await queue.enqueue(t.db.kysely, { type: 'b', payload: 1 });
    const jobs = await queue.claim(2, 10_000);
    const ja = jobs.find((j) => j.id === a)!;
    const jb = jobs.find((j) => j.id === b)!;
    expect(await queue.fail(ja, '429', { retryAfterMs: 37_000 })).toBe('retry');
    expect((await queue.get(a))?.runAt).toBe(clock.now() + 37_000);
    expect(await queue.fail(jb, 'blocked', { final: true })).toBe('dead');
    expect((await queue.get(b))?.status).toBe('dead');
  });

  it('rate-limit retries do not use up attempts, but a day of them does', async () => {
    const id = await queue.enqueue(t.db.kysely, { type: 'x', payload: 1, maxAttempts: 2 });
    for (let i = 0; i < 5; i++) {
      const [job] = await queue.claim(1, 10_000);
      expect(job?.attempts).toBe(1);
      expect(await queue.fail(job!, '429', { retryAfterMs: 60_000 })).toBe('retry');
      clock.advance(60_000);
    }
    clock.advance(24 * 3_600_000);
    const [late] = await queue.claim(1, 10_000);
    expect(await queue.fail(late!, '429', { retryAfterMs: 60_000 })).toBe('dead');
    expect((await queue.get(id))?.status).toBe('dead');
  });

  it('a job whose lease keeps expiring goes dead after max attempts', async () => {
    const id = await queue.enqueue(t.db.kysely, { type: 'x', payload: 1, maxAttempts: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await queue.claim(1, 1000)).toHaveLength(1);
      clock.advance(1001);
    }
    expect(await queue.claim(1, 1000)).toEqual([]);
    expect((await queue.get(id))?.status).toBe('dead');
  });

  it('backoff grows exponentially with jitter and is capped', () => {
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(4, () => 1)).toBe(8000);
    expect(backoffMs(4, () => 0)).toBe(4000);
    expect(backoffMs(40, () => 1)).toBe(3_600_000);
  });

  it('runs jobs sharing an order key one at a time, in order, even across retries', async () => {
    const a = await queue.enqueue(t.db.kysely, {
      type: 'send',
      payload: 'a',
      orderKey: 'conv-1',
      maxAttempts: 2,
    });
    const b = await queue.enqueue(t.db.kysely, { type: 'send', payload: 'b', orderKey: 'conv-1' });
    const other = await queue.enqueue(t.db.kysely, { type: 'send', payload: 'x', orderKey: 'conv-2' });
    let claimed = await queue.claim(10, 10_000);
    expect(claimed.map((j) => j.id).sort()).toEqual([a, other].sort());
    const ja = claimed.find((j) => j.id === a)!;
    expect(await queue.complete(claimed.find((j) => j.id === other)!)).toBe(true);
    // a waits for its retry: b must still wait behind it.
    expect(await queue.fail(ja, 'later')).toBe('retry');
    expect(await queue.claim(10, 10_000)).toEqual([]);
    clock.advance(60_000);
    claimed = await queue.claim(10, 10_000);
    expect(claimed.map((j) => j.id)).toEqual([a]);
    // a dies: it no longer holds b back.
    expect(await queue.fail(claimed[0]!, 'boom')).toBe('dead');
    claimed = await queue.claim(10, 10_000);
    expect(claimed.map((j) => j.id)).toEqual([b]);
  });

  it('enqueueMany writes the jobs of one statement in the order given, order keys included', async () => {
    const inputs = Array.from({ length: 1200 }, (_, i) => ({
      type: 'in',
      payload: i,
      orderKey: `chat-${i % 2}`,
    }));
    const ids = await t.db.kysely.transaction().execute((tx) => queue.enqueueMany(tx, inputs));
    expect(ids).toHaveLength(1200);
    expect([...ids].sort()).toEqual(ids);
    expect(await queue.enqueueMany(t.db.kysely, [])).toEqual([]);
    // Each key hands out its jobs strictly in the given order.
    const seen: number[] = [];
    for (;;) {
      const claimed = await queue.claim(50, 10_000);
      if (!claimed.length) break;
      expect(claimed.length).toBeLessThanOrEqual(2);
      for (const j of claimed) {
        seen.push(j.payload as number);
        await queue.complete(j);
      }
      if (seen.length >= 6) break;
    }
    expect(seen.filter((n) => n % 2 === 0)).toEqual([0, 2, 4]);
    expect(seen.filter((n) => n % 2 === 1)).toEqual([1, 3, 5]);
  });

  it('concurrent claimers never break the order of a key', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(await queue.enqueue(t.db.kysely, { type: 'send', payload: i, orderKey: `k${i % 3}` }));
    const queues = [queue, new SqlJobQueue(t.openAnother(), clock), new SqlJobQueue(t.openAnother(), clock)];
    const order: number[] = [];
    await Promise.all(
      queues.map(async (q) => {
        for (let idle = 0; idle < 20; ) {
          const got = await q.claim(5, 30_000);
          if (got.length === 0) {
            idle++;
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          idle = 0;
          for (const j of got) {
            order.push(j.payload as number);
            expect(await q.complete(j)).toBe(true);
          }
        }
      }),
    );
    expect(order).toHaveLength(30);
    for (const key of [0, 1, 2]) {
      const seq = order.filter((n) => n % 3 === key);
      expect(seq).toEqual([...seq].sort((x, y) => x - y));
    }
  });

  it('concurrent claimers on separate connections never take the same job', async () => {
    const n = 60;
    for (let i = 0; i < n; i++) await queue.enqueue(t.db.kysely, { type: 'x', payload: i });
    const queues = [queue, new SqlJobQueue(t.openAnother(), clock), new SqlJobQueue(t.openAnother(), clock)];
    const seen: string[] = [];
    await Promise.all(
      queues.map(async (q) => {
        for (;;) {
          const got = await q.claim(3, 30_000);
          if (got.length === 0) return;
          for (const j of got) {
            seen.push(j.id);
            expect(await q.complete(j)).toBe(true);
          }
        }
      }),
    );
    expect(seen.length).toBe(n);
    expect(new Set(seen).size).toBe(n);
  });
});
