import type { Tx } from '../db/database.ts';

export interface EnqueueInput {
  type: string;
  payload: unknown;
  accountId?: string | null;
  /** Epoch ms; default now. */
  runAt?: number;
  maxAttempts?: number;
  /**
   * Jobs with the same key run strictly one after another in enqueue order: a later one is not claimed
   * while an earlier one is pending (even waiting for a retry) or running. Dead jobs stop blocking.
   */
  orderKey?: string;
}

export interface ClaimedJob {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  accountId: string | null;
  leaseToken: string;
  createdAt: number;
}

export interface FailOptions {
  /**
   * Provider said when to come back (HTTP Retry-After, Telegram retry_after): honoured exactly, and the
   * attempt is not counted — being rate-limited is not a failure of the job. A job still rate-limited a
   * day after it was enqueued goes dead, so a provider that never lets up cannot keep it forever.
   */
  retryAfterMs?: number;
  /** The error will not go away by retrying (blocked by user, invalid recipient): go straight to dead. */
  final?: boolean;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface JobRecord {
  id: string;
  type: string;
  status: JobStatus;
  attempts: number;
  runAt: number;
  lastError: string | null;
}

/**
 * Durable job queue. Jobs are written in the same transaction as the data that caused them
 * (transactional outbox), claimed with a lease, and delivered at least once: handlers must be idempotent.
 */
export interface JobQueue {
  /** Writes a job inside the caller's transaction; it becomes visible to workers when that commits. */
  enqueue(tx: Tx, input: EnqueueInput): Promise<string>;
  /**
   * Writes several jobs in one statement (one round trip), with ids in the order given: jobs sharing an
   * order key run in that order, exactly as if each had been enqueued one after another.
   */
  enqueueMany(tx: Tx, inputs: EnqueueInput[]): Promise<string[]>;
  /** Leases up to `limit` due jobs. Several workers (and nodes) may call this concurrently. */
  claim(limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /** Marks done; false if the lease was lost (the job expired and another worker took it). */
  complete(job: ClaimedJob, tx?: Tx): Promise<boolean>;
  /** Schedules a retry with exponential backoff and jitter, or marks it dead. */
  fail(job: ClaimedJob, error: string, opts?: FailOptions): Promise<'retry' | 'dead' | 'lost'>;
  get(id: string): Promise<JobRecord | undefined>;
}

/** Exponential backoff with jitter: attempt 1 → ~1 s, 2 → ~2 s, ... capped at one hour. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}
