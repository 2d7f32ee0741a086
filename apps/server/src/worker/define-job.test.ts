import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { testDialects } from '../../test/test-db.ts';
import { jobHandlers } from '../jobs.ts';
import { transact } from '../modules/events/unit-of-work.ts';
import { defineJob, jobTable } from './define-job.ts';
import { Worker } from './worker.ts';

const dialects = await testDialects();

const until = async (cond: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(dialects)('defineJob (%s)', (dialect) => {
  let t: TestApp;
  let w: Worker | undefined;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => {
    await w?.stop();
    w = undefined;
    await t.close();
  });

  const greet = (seen: string[]) =>
    defineJob('test.greet', z.object({ name: z.string(), times: z.number().int().min(1) }), async (_c, p) => {
      for (let i = 0; i < p.times; i++) seen.push(p.name);
    });

  it('runs a job with a payload of its shape; a payload of another shape goes dead at once, naming the field', async () => {
    const seen: string[] = [];
    const job = greet(seen);
    w = new Worker(t.ctx, jobTable([job]), { concurrency: 2, pollMs: 20 });
    await w.start();
    const [good, bad] = await transact(t.ctx, async (uow) => [
      await uow.enqueue(job.input({ name: 'Ann', times: 2 }, { accountId: null })),
      await uow.enqueue({ type: 'test.greet', payload: { name: 'Bob', times: '2' }, maxAttempts: 5 }),
    ]);
    await until(async () => (await t.ctx.queue.get(good))?.status === 'done');
    await until(async () => (await t.ctx.queue.get(bad))?.status === 'dead');
    const dead = await t.ctx.queue.get(bad);
    expect(dead?.attempts).toBe(1);
    expect(dead?.lastError).toMatch(/^bad payload for job test\.greet: .*times/);
    expect(seen).toEqual(['Ann', 'Ann']);
  });

  it('refuses two definitions of one job type; the worker table lists every job of the server', () => {
    expect(() => jobTable([greet([]), greet([])])).toThrow(/defined twice/);
    expect(Object.keys(jobHandlers).length).toBeGreaterThanOrEqual(13);
  });
});
