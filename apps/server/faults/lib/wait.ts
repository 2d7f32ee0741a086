/**
 * Polls `check` until it returns a truthy value, `timeoutMs` passes, or `giveUp()` says waiting is
 * pointless (the server died); then returns undefined.
 */
export async function pollUntil<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  intervalMs = 100,
  giveUp: () => boolean = () => false,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // A check may hit a database that is coming back; keep polling until the deadline.
    }
    if (Date.now() > deadline || giveUp()) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
