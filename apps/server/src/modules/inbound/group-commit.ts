/**
 * Group commit: requests that arrive while a transaction is committing wait and then share the next
 * one, so under load many webhooks cost one commit (one WAL flush on PostgreSQL, one fsync-free WAL
 * append on SQLite) instead of one each, while a lone request pays no extra wait.
 *
 * Guarantees the callers rely on:
 * - a request's promise resolves only after the transaction holding it committed (nothing is
 *   acknowledged before it is durable);
 * - one transaction at a time per node, taken in arrival order, so what commits first arrived first
 *   (jobs with an order key keep the order the provider's requests reached this node);
 * - one bad request never fails the others: when a shared transaction fails, every request in it is
 *   retried in a transaction of its own and only the failing ones are rejected. The retry is safe
 *   because the commit function is idempotent (a rolled-back or already-committed event is skipped by
 *   its unique key).
 */
interface Waiting<Req, Res> {
  req: Req;
  resolve: (r: Res) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<Req, Res> {
  private queue: Waiting<Req, Res>[] = [];
  private running = false;
  /** Transactions committed and requests they carried (for tests and the bench's log line). */
  readonly stats = { commits: 0, requests: 0, largest: 0, splits: 0 };

  constructor(
    private readonly commit: (batch: Req[]) => Promise<Res[]>,
    private readonly maxBatch: number,
    private readonly onSplit?: (err: unknown, size: number) => void,
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.running) return;
      this.running = true;
      // After the I/O phase, not at once: requests whose bodies arrived in the same turn of the event loop
      // join this first transaction (with SQLite the transaction never yields to I/O, so nothing could
      // join it once started).
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.flush(this.queue.splice(0, this.maxBatch));
    } finally {
      this.running = false;
    }
  }

  private async flush(batch: Waiting<Req, Res>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        this.settle(batch, await this.commit(batch.map((b) => b.req)));
        return;
      } catch (err) {
        this.stats.splits++;
        this.onSplit?.(err, batch.length);
      }
    }
    for (const one of batch) {
      try {
        this.settle([one], await this.commit([one.req]));
      } catch (err) {
        one.reject(err);
      }
    }
  }

  private settle(batch: Waiting<Req, Res>[], results: Res[]): void {
    this.stats.commits++;
    this.stats.requests += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    for (const [i, b] of batch.entries()) b.resolve(results[i]!);
  }
}
