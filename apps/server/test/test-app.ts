import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DialectName } from '../src/infra/db/database.ts';
import { type ContextOptions, type RuntimeContext, createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { jobHandlers } from '../src/jobs.ts';
import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import { Worker } from '../src/worker/worker.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  accountId: string;
}

export interface TestApp {
  ctx: RuntimeContext;
  app: FastifyInstance;
  db: TestDatabase;
  /** Runs due jobs until none is left (deterministic alternative to a polling worker). */
  drainJobs(): Promise<number>;
  startWorker(): Promise<Worker>;
  admin: Session & { email: string; password: string };
  login(email: string, password: string): Promise<Session>;
  /** inject() with the session's cookie and CSRF header. */
  as(s: Session, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(
  dialect: DialectName,
  opts: ContextOptions & { env?: Record<string, string>; beforeReady?: (app: FastifyInstance) => void } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-data-')),
    SWITCHBOARD_SECRET: 'test-secret-test-secret-test-secret',
    LOG_LEVEL: 'silent',
    // Suites move a manual clock by days between requests of one session; as long as the absolute
    // lifetime, so only the idle-timeout tests (which set their own) ever meet it.
    SESSION_IDLE_MINUTES: String(14 * 24 * 60),
    PORT: '0',
    HOST: '127.0.0.1',
    // Fake providers and callback receivers listen on loopback.
    ALLOW_PRIVATE_URLS: '127.0.0.1,localhost,::1',
    // Every suite signs in from 127.0.0.1; the per-address limit has its own tests.
    LOGIN_RATE_LIMIT_PER_IP: '5000',
    ...opts.env,
  });
  await db.db.close();
  const ctx = await createContext(config, { ...opts, pgSchema: db.schema });
  const app = await buildApp(ctx);
  opts.beforeReady?.(app);
  await app.ready();
  const email = 'admin@example.com';
  const password = 'correct horse battery';
  const _created = await createAccountWithAdmin(ctx, {
    accountName: 'Acme',
    email,
    password,
    name: 'Ada Admin',
  });
  const workers: Worker[] = [];
  const drainer = new Worker(ctx, jobHandlers, { concurrency: 10, pollMs: 50 });

  async function login(e: string, p: string): Promise<Session> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: e, password: p },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'sb_session');
    const body = res.json();
    const s: Session = {
      cookie: `sb_session=${cookie!.value}`,
      csrf: body.csrfToken,
      userId: body.user.id,
      accountId: body.account.id,
    };
    if (body.passwordChangeRequired) await adoptPassword(s, p);
    return s;
  }

  /**
   * A user an admin created carries a temporary password that must be changed at first sign-in. Suites
   * that are not about that act as the person who then chooses the same text as their own: changed
   * away and back through the real route (the session doing it stays signed in).
   */
  async function adoptPassword(s: Session, password: string): Promise<void> {
    for (const [currentPassword, newPassword] of [
      [password, `${password} interim`],
      [`${password} interim`, password],
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        payload: { currentPassword, newPassword },
      });
      if (res.statusCode !== 204) throw new Error(`password change failed: ${res.statusCode} ${res.body}`);
    }
  }
  const adminSession = await login(email, password);

  return {
    ctx,
    app,
    db,
    admin: { ...adminSession, email, password },
    login,
    as: (s, method, url, body) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
    // The real worker's job runner, claimed and run in this call (no polling).
    drainJobs: () => drainer.drain(),
    async startWorker() {
      const w = new Worker(ctx, jobHandlers, { concurrency: 4, pollMs: 50 });
      await w.start();
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers) await w.stop();
      await app.close();
      await ctx.close();
      await db.drop();
    },
  };
}
