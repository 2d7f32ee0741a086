/**
 * Counts sign-in attempts per key (an IP address, an e-mail) in fixed time windows, shared by every node
 * of the installation: Redis when configured, the database otherwise.
 */
export interface LoginThrottle {
  /** Counts one attempt for `key`; returns how many this window has seen, this one included. */
  hit(key: string): Promise<number>;
  /** Milliseconds until the current window of `key` ends (for Retry-After). */
  retryAfterMs(): number;
  close(): Promise<void>;
}

export const LOGIN_WINDOW_MS = 60_000;

export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}
