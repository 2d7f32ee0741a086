import { afterAll, afterEach, beforeAll } from 'vitest';

/** What every provider sandbox offers: a real HTTP server and a way to wait for its pending deliveries. */
export interface Sandbox {
  start(): Promise<unknown>;
  stop(): Promise<void>;
  /** Resolves when the sandbox's own calls to the app (webhooks it sends) have been answered. */
  settle?(): Promise<void>;
}

/**
 * A provider sandbox for the whole suite: started before it, stopped after it, settled after each test.
 * Call it after `useTestApp`, so that (hooks after a test run last-registered first) the sandbox's calls
 * are answered before the app closes.
 */
export function useSandbox<S extends Sandbox>(sandbox: S): S {
  beforeAll(async () => {
    await sandbox.start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  afterEach(async () => {
    await sandbox.settle?.();
  });
  return sandbox;
}

/**
 * Lets a conversation between the sandbox and the app come to rest: the sandbox's webhooks answered and
 * the jobs they queued run, three times (a reply can trigger a receipt that triggers a job).
 */
export async function settleWith(sandbox: Sandbox, app: { drainJobs(): Promise<number> }): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sandbox.settle?.();
    await app.drainJobs();
  }
}
