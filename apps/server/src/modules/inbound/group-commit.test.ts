import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

/** A commit function that records each transaction's requests and can be told to fail on one. */
function recorder(failOn?: number) {
  const transactions: number[][] = [];
  const commit = async (batch: number[]) => {
    await new Promise((r) => setTimeout(r, 5));
    if (failOn !== undefined && batch.includes(failOn)) throw new Error(`bad ${failOn}`);
    transactions.push(batch);
    return batch.map((n) => n * 10);
  };
  return { transactions, commit };
}

describe('GroupCommit', () => {
  it('a lone request commits alone and resolves with its own result', async () => {
    const r = recorder();
    const g = new GroupCommit(r.commit, 100);
    expect(await g.submit(7)).toBe(70);
    expect(r.transactions).toEqual([[7]]);
  });

  it('requests arriving together, or while a commit runs, share transactions in arrival order', async () => {
    const r = recorder();
    const g = new GroupCommit(r.commit, 100);
    const first = Array.from({ length: 20 }, (_, i) => g.submit(i));
    // These arrive while the first transaction is committing: they wait and share the next one.
    await new Promise((res) => setTimeout(res, 1));
    const second = Array.from({ length: 20 }, (_, i) => g.submit(100 + i));
    expect(await Promise.all([...first, ...second])).toEqual(
      [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 20 }, (_, i) => 100 + i)].map(
        (n) => n * 10,
      ),
    );
    expect(r.transactions.length).toBe(2);
    expect(r.transactions.flat()).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 20 }, (_, i) => 100 + i),
    ]);
    expect(g.stats).toMatchObject({ commits: 2, requests: 40, largest: 20, splits: 0 });
  });

  it('never puts more than maxBatch requests in one transaction', async () => {
    const r = recorder();
    const g = new GroupCommit(r.commit, 8);
    await Promise.all(Array.from({ length: 30 }, (_, i) => g.submit(i)));
    expect(r.transactions.map((t) => t.length)).toEqual([8, 8, 8, 6]);
    expect(r.transactions.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('a failing request fails alone: the others of its transaction commit one by one', async () => {
    const r = recorder(3);
    const splits: number[] = [];
    const g = new GroupCommit(r.commit, 100, (_err, size) => splits.push(size));
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => g.submit(i)));
    expect(results.map((x) => x.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[3] as PromiseRejectedResult).reason.message).toBe('bad 3');
    expect(r.transactions).toEqual([[0], [1], [2], [4], [5]]);
    expect(splits).toEqual([6]);
    // The batcher keeps working after a failure.
    expect(await g.submit(9)).toBe(90);
  });
});
