import type { AppContext } from '../app-context.ts';
import { TOPICS } from '../infra/bus/event-bus.port.ts';
import type { ClaimedJob } from '../infra/queue/job-queue.port.ts';
import { completedInHandler } from './complete-within.ts';
import { PermanentError, RetryableError } from './job-errors.ts';

export type JobHandler = (ctx: AppContext, job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  leaseMs?: number;
}

/**
 * Claims jobs and runs their handlers. Wakes on the bus (a job was committed somewhere) and polls as a
 * fallback, so a lost wake-up only delays a job by one poll interval.
 */
export class Worker {
  private running = false;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A nudge that came while the loop was busy claiming: the loop must not go to sleep after it. */
  private nudged = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: Record<string, JobHandler>,
    private readonly opts: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = await this.ctx.bus.subscribe(TOPICS.jobsWake, () => this.nudge());
    this.loop = this.run();
  }

  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /**
   * Runs the due jobs in this call, one after another, until none is left; answers how many ran. The
   * deterministic way through the same handlers and bookkeeping (tests drain after each step).
   */
  async drain(batch = 10): Promise<number> {
    let n = 0;
    for (;;) {
      const jobs = await this.ctx.queue.claim(batch, this.opts.leaseMs ?? 60_000);
      if (jobs.length === 0) return n;
      for (const job of jobs) {
        n++;
        await this.execute(job);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.unsubscribe?.();
    await this.loop;
    // Let in-flight jobs finish so their leases are released cleanly.
    while (this.inFlight > 0) await new Promise<void>((r) => this.idle.add(r));
  }

  private async run(): Promise<void> {
    const leaseMs = this.opts.leaseMs ?? 60_000;
    while (this.running) {
      // Cleared before claiming: a job committed from here on either is seen by this claim or nudges again.
      this.nudged = false;
      const free = this.opts.concurrency - this.inFlight;
      let claimed: ClaimedJob[] = [];
      let failed = false;
      if (free > 0) {
        try {
          claimed = await this.ctx.queue.claim(free, leaseMs);
        } catch (err) {
          failed = true;
          this.ctx.log.error({ err }, 'claiming jobs failed');
        }
      }
      for (const job of claimed) void this.execute(job);
      // A full batch means more may be waiting: go again at once instead of sleeping.
      if (claimed.length > 0 && claimed.length === free) continue;
      // After a failed claim (database down) wait a poll interval, however many nudges arrive.
      if (!this.running || (this.nudged && !failed)) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs);
      });
      clearTimeout(this.timer);
      this.wake = undefined;
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    this.inFlight++;
    try {
      const handler = this.handlers[job.type];
      if (!handler) {
        await this.ctx.queue.fail(job, `no handler for job type ${job.type}`, { final: true });
        return;
      }
      try {
        await handler(this.ctx, job);
        if (!completedInHandler(job)) await this.ctx.queue.complete(job);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const outcome = await this.ctx.queue.fail(job, message, {
          final: err instanceof PermanentError,
          retryAfterMs: err instanceof RetryableError ? err.retryAfterMs : undefined,
        });
        const level = outcome === 'dead' ? 'error' : 'warn';
        this.ctx.log[level](
          { jobId: job.id, type: job.type, attempt: job.attempts, outcome, err: message },
          'job failed',
        );
      }
    } catch (err) {
      this.ctx.log.error(
        { err, jobId: job.id },
        'job bookkeeping failed; the lease will expire and it will rerun',
      );
    } finally {
      this.inFlight--;
      this.nudge();
      if (this.inFlight === 0) {
        for (const r of this.idle) r();
        this.idle.clear();
      }
    }
  }
}
