import { afterEach, describe, expect, it } from 'vitest';
import { SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';

const dialects = await testDialects();
const MINUTE = 60_000;

describe.each(dialects)('session idle timeout (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;

  async function start(env: Record<string, string> = {}) {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock, env: { SESSION_IDLE_MINUTES: '30', ...env } });
  }
  afterEach(async () => {
    await t?.close();
  });

  const me = (s: Session) => t.as(s, 'GET', '/api/v1/me');
  const lastSeenAt = async (s: Session) => {
    const rows = await t.ctx.db.kysely.selectFrom('sessions').select(['id', 'last_seen_at']).execute();
    const current = (await t.as(s, 'GET', '/api/v1/me/sessions'))
      .json()
      .items.find((x: { current: boolean }) => x.current);
    return rows.find((r) => r.id === current.id)!.last_seen_at;
  };

  it('keeps a used session alive, and refuses (401) and deletes one unused for longer than the idle time', async () => {
    await start();
    const s = t.admin;
    for (let i = 0; i < 4; i++) {
      clock.advance(29 * MINUTE);
      expect((await me(s)).statusCode, `after ${(i + 1) * 29} minutes of use`).toBe(200);
    }
    expect(await t.ctx.db.kysely.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    clock.advance(31 * MINUTE);
    const res = await me(s);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
    expect(await t.ctx.db.kysely.selectFrom('sessions').select('id').execute()).toEqual([]);
    // Deleted, not just refused: the same cookie stays dead even if the clock were wound back.
    clock.advance(-31 * MINUTE);
    expect((await me(s)).json().error.code).toBe('unauthorized');
  });

  it('writes last_seen_at at most once a minute', async () => {
    await start();
    const s = t.admin;
    const first = await lastSeenAt(s);
    clock.advance(30_000);
    expect((await me(s)).statusCode).toBe(200);
    expect(await lastSeenAt(s)).toBe(first);
    clock.advance(31_000);
    expect((await me(s)).statusCode).toBe(200);
    expect(await lastSeenAt(s)).toBe(clock.now());
  });

  it('still ends an active session at SESSION_TTL_HOURS', async () => {
    await start({ SESSION_TTL_HOURS: '1' });
    const s = await t.login(t.admin.email, t.admin.password);
    for (let i = 0; i < 3; i++) {
      clock.advance(19 * MINUTE);
      expect((await me(s)).statusCode).toBe(200);
    }
    clock.advance(4 * MINUTE);
    const res = await me(s);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
  });

  it('lists only live sessions, with when each was last used', async () => {
    await start();
    const old = t.admin;
    clock.advance(20 * MINUTE);
    const fresh = await t.login(t.admin.email, t.admin.password);
    const both = (await t.as(fresh, 'GET', '/api/v1/me/sessions')).json().items;
    expect(both.map((x: { lastSeenAt: number }) => x.lastSeenAt)).toEqual([
      clock.now(),
      clock.now() - 20 * MINUTE,
    ]);
    clock.advance(15 * MINUTE);
    const listed = (await t.as(fresh, 'GET', '/api/v1/me/sessions')).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ current: true, lastSeenAt: clock.now() });
    expect((await me(old)).statusCode).toBe(401);
  });

  it('refuses a Socket.IO handshake with an idle session and deletes it', async () => {
    await start();
    const server = await serveWithGateway(t);
    try {
      const live = await SocketProbe.connect(server.url, { cookie: t.admin.cookie });
      live.close();

      const idle = await t.login(t.admin.email, t.admin.password);
      expect(await t.ctx.db.kysely.selectFrom('sessions').select('id').execute()).toHaveLength(2);
      clock.advance(31 * MINUTE);
      const err = await SocketProbe.refused(server.url, { cookie: idle.cookie });
      expect(err.data?.code).toBe('session_expired');
      // Only the admin's untouched session is left; the refused one is gone.
      expect(await t.ctx.db.kysely.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
