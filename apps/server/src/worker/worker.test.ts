import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { testDialects } from '../../test/test-db.ts';
import { transact } from '../modules/events/unit-of-work.ts';
import { completeWithin } from './complete-within.ts';
import { PermanentError, RetryableError } from './job-errors.ts';
import { Worker } from './worker.ts';

const dialects = await testDialects();

const until = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(dialects)('Worker (%s)', (dialect) => {
  let t: TestApp;
  const workers: Worker[] = [];
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await t.close();
  });

  const enqueue = (type: string, payload: unknown, maxAttempts?: number) =>
    transact(t.ctx, (uow) => uow.enqueue({ type, payload, maxAttempts }));

  it('runs a committed job promptly after the bus wake-up, not after the poll interval', async () => {
    const seen: unknown[] = [];
    const w = new Worker(
      t.ctx,
      { echo: async (_c, job) => void seen.push(job.payload) },
      { concurrency: 2, pollMs: 60_000 },
    );
    workers.push(w);
    await w.start();
    await new Promise((r) => setTimeout(r, 50));
    const id = await enqueue('echo', { n: 1 });
    await until(() => seen.length === 1, 3000);
    await until(async () => (await t.ctx.queue.get(id))?.status === 'done');
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('retries on failure, sends permanent errors and unknown types straight to dead', async () => {
    let calls = 0;
    const w = new Worker(
      t.ctx,
      {
        flaky: async () => {
          calls++;
          throw new RetryableError('try later');
        },
        fatal: async () => {
          throw new PermanentError('blocked');
        },
      },
      { concurrency: 2, pollMs: 20 },
    );
    workers.push(w);
    await w.start();
    const flaky = await enqueue('flaky', null, 3);
    const fatal = await enqueue('fatal', null);
    const unknown = await enqueue('no-such-type', null);
    await until(async () => (await t.ctx.queue.get(flaky))?.status === 'dead', 15_000);
    expect(calls).toBe(3);
    await until(async () => (await t.ctx.queue.get(fatal))?.status === 'dead');
    expect((await t.ctx.queue.get(fatal))?.attempts).toBe(1);
    await until(async () => (await t.ctx.queue.get(unknown))?.status === 'dead');
    expect((await t.ctx.queue.get(unknown))?.lastError).toMatch(/no handler/);
  });

  it('respects its concurrency limit and stop() waits for running jobs', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const w = new Worker(
      t.ctx,
      {
        slow: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 30));
          running--;
          done++;
        },
      },
      { concurrency: 3, pollMs: 10 },
    );
    await w.start();
    for (let i = 0; i < 9; i++) await enqueue('slow', i);
    await until(() => done >= 1);
    await w.stop();
    expect(running).toBe(0);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });
  it('a job its handler completed in its own transaction is not completed again; a rollback undoes that', async () => {
    const queue = t.ctx.queue;
    let completes = 0;
    const complete = queue.complete.bind(queue);
    queue.complete = (job, tx) => {
      completes++;
      return complete(job, tx);
    };
    const w = new Worker(
      t.ctx,
      {
        within: (ctx, job) => transact(ctx, (uow) => completeWithin(ctx, uow.tx, job)),
        rolledBack: (ctx, job) =>
          transact(ctx, async (uow) => {
            await completeWithin(ctx, uow.tx, job);
            throw new RetryableError('after completing');
          }),
      },
      { concurrency: 1, pollMs: 60_000 },
    );
    const within = await enqueue('within', null);
    expect(await w.drain()).toBe(1);
    expect((await queue.get(within))?.status).toBe('done');
    expect(completes).toBe(1);
    const rolledBack = await enqueue('rolledBack', null);
    expect(await w.drain()).toBe(1);
    const job = await queue.get(rolledBack);
    expect(job?.status).toBe('pending');
    expect(job?.lastError).toBe('after completing');
  });
});
