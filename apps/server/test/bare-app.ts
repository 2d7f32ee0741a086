import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';

export interface BareApp {
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The HTTP app over an empty, unmigrated SQLite file: for what is decided before a handler reads the
 * database (validation, authentication, error mapping, headers, the OpenAPI description). Starts in
 * milliseconds; a test that needs rows belongs with `createTestApp`.
 */
export async function createBareApp(
  opts: { env?: Record<string, string>; beforeReady?: (app: FastifyInstance) => void } = {},
): Promise<BareApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bare-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bare.db')}`,
    DATA_DIR: dir,
    SWITCHBOARD_SECRET: 'test-secret-test-secret-test-secret',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...opts.env,
  });
  const ctx = await createContext(config, { migrate: false });
  const app = await buildApp(ctx);
  opts.beforeReady?.(app);
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}

/** One bare app for the suite it is called in: started before its tests, closed after them. */
export function useBareApp(opts: Parameters<typeof createBareApp>[0] = {}): {
  readonly app: FastifyInstance;
} {
  let bare: BareApp | undefined;
  beforeAll(async () => {
    bare = await createBareApp(opts);
  });
  afterAll(async () => {
    await bare?.close();
  });
  return {
    get app() {
      if (!bare) throw new Error('useBareApp: the app starts in beforeAll; use it inside a test');
      return bare.app;
    },
  };
}
