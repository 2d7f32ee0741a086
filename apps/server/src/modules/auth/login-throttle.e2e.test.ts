import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { redisReachable } from '../../../test/node-services.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { TEST_REDIS_URL, testDialects } from '../../../test/test-db.ts';
import { createContext, type RuntimeContext } from '../../bootstrap.ts';
import { buildApp } from '../../http/app.ts';
import { ManualClock } from '../../infra/clock.ts';

const dialects = await testDialects();
const hasRedis = await redisReachable();
const stores = [
  ['database', {}],
  ...(hasRedis ? [['redis', { REDIS_URL: TEST_REDIS_URL }] as const] : []),
] as const;

/** Two nodes of one installation (same database, same Redis when configured) share the sign-in counters. */
describe.each(dialects)('sign-in limits across two nodes (%s)', (dialect) => {
  let t: TestApp;
  // The limits count per minute: on the real clock a minute could turn between two attempts and
  // reset the count; both nodes share one clock that stays inside one minute.
  let clock: ManualClock;
  let other: { ctx: RuntimeContext; app: FastifyInstance } | undefined;
  afterEach(async () => {
    if (other) {
      await other.app.close();
      await other.ctx.close();
      other = undefined;
    }
    await t.close();
  });

  async function secondNode(): Promise<FastifyInstance> {
    const ctx = await createContext(t.ctx.config, { pgSchema: t.db.schema, clock });
    const app = await buildApp(ctx);
    await app.ready();
    other = { ctx, app };
    return app;
  }
  const login = (app: FastifyInstance, email: string, password: string, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it.each(stores)('per e-mail across addresses and nodes, counters in the %s', async (_store, env) => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 5));
    t = await createTestApp(dialect, {
      clock,
      env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_PER_IP: '100', ...env },
    });
    const b = await secondNode();
    const email = t.admin.email;
    // The test app's own sign-in was the first attempt for this e-mail in this minute.
    expect((await login(t.app, email, 'guess one', '10.0.0.1')).statusCode).toBe(401);
    expect((await login(b, email, 'guess two', '10.0.0.2')).statusCode).toBe(401);
    const limited = await login(b, email, t.admin.password, '10.0.0.3');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t.app, email, t.admin.password, '10.0.0.4')).statusCode).toBe(429);
  });

  it.each(stores)('per address across e-mails and nodes, counters in the %s', async (_store, env) => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 5));
    t = await createTestApp(dialect, {
      clock,
      env: { LOGIN_RATE_LIMIT: '100', LOGIN_RATE_LIMIT_PER_IP: '3', ...env },
    });
    const b = await secondNode();
    expect((await login(t.app, 'a@example.com', 'guess', '10.9.9.9')).statusCode).toBe(401);
    expect((await login(b, 'b@example.com', 'guess', '10.9.9.9')).statusCode).toBe(401);
    expect((await login(t.app, 'c@example.com', 'guess', '10.9.9.9')).statusCode).toBe(401);
    expect((await login(b, t.admin.email, t.admin.password, '10.9.9.9')).statusCode).toBe(429);
    // Another address is not affected.
    expect((await login(b, t.admin.email, t.admin.password, '10.1.1.1')).statusCode).toBe(200);
  });
});
