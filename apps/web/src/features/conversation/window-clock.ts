/** Under this much time left, the conversation shows a live countdown of its messaging window. */
export const COUNTDOWN_FROM_MS = 3_600_000;

/**
 * Milliseconds until the window closes by the server's clock. `serverNow` is the server's time when
 * the window was read and `fetchedAt` the browser's time then, so a browser clock that is off by
 * minutes still counts down to the right moment.
 */
export function remainingMs(
  closesAt: number,
  serverNow: number,
  fetchedAt: number,
  browserNow: number,
): number {
  return closesAt - (serverNow + (browserNow - fetchedAt));
}

/** `m:ss` under an hour, `h:mm:ss` above; never negative. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * How long to wait before the countdown needs drawing again: nothing to do until it enters the last
 * hour, then at each change of the shown second (so the composer closes the moment it reaches zero).
 */
export function nextTickMs(ms: number): number {
  if (ms <= 0) return Number.POSITIVE_INFINITY;
  if (ms > COUNTDOWN_FROM_MS) return ms - COUNTDOWN_FROM_MS;
  return ms % 1000 || 1000;
}
