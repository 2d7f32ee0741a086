import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';

const dialects = await testDialects();
const PASSWORD = 'operator password 1';

describe.each(dialects)('authentication (%s)', (dialect) => {
  let t: TestApp;

  afterEach(async () => {
    await t?.close();
  });

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  async function addUser(email: string, role: string): Promise<Session & { id: string }> {
    const res = await t.as(t.admin, 'POST', '/api/v1/users', { email, password: PASSWORD, role });
    expect(res.statusCode, res.body).toBe(201);
    return { ...(await t.login(email, PASSWORD)), id: res.json().id };
  }

  it('signs in with e-mail and password and sets an HttpOnly SameSite session cookie', async () => {
    t = await createTestApp(dialect);
    const res = await login('  ADMIN@example.com ', t.admin.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { email: 'admin@example.com', name: 'Ada Admin' },
      account: { name: 'Acme' },
      role: 'admin',
    });
    expect(res.json().csrfToken).toEqual(expect.any(String));
    const cookie = res.cookies.find((c) => c.name === 'sb_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const rows = await t.ctx.db.kysely.selectFrom('sessions').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(cookie.value);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `sb_session=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown e-mail identically (invalid_credentials)', async () => {
    t = await createTestApp(dialect);
    const wrong = await login(t.admin.email, 'not the password');
    const unknown = await login('nobody@example.com', 'not the password');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.cookies).toEqual([]);
    }
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(unknown.json()).toEqual(wrong.json());
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.admin.email },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_error');
  });

  it('rate-limits login attempts per e-mail with 429 rate_limited, even for the right password', async () => {
    t = await createTestApp(dialect, { env: { LOGIN_RATE_LIMIT: '3' } });
    await addUser('op@example.com', 'operator'); // signs in once: the first of three attempts
    // Spelling the e-mail differently does not open a fresh bucket.
    for (const email of ['op@example.com', ' OP@example.com '])
      expect((await login(email, 'guess')).statusCode).toBe(401);
    const limited = await login('op@example.com', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.cookies).toEqual([]);
    // Guessing one e-mail does not lock everyone else out.
    const other = await login('someone@example.com', 'guess');
    expect(other.statusCode).toBe(401);
  });

  it('logout revokes the session on the server, not only the cookie', async () => {
    t = await createTestApp(dialect);
    const s = await t.login(t.admin.email, t.admin.password);
    const out = await t.as(s, 'POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'sb_session');
    expect(cleared?.value).toBe('');
    const me = await t.as(s, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('unauthorized');
    // Other sessions of the same user are untouched.
    expect((await t.as(t.admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('expires sessions after SESSION_TTL_HOURS with 401 session_expired', async () => {
    const clock = new ManualClock();
    t = await createTestApp(dialect, { clock, env: { SESSION_TTL_HOURS: '2' } });
    clock.advance(2 * 3_600_000 - 1);
    expect((await t.as(t.admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
    clock.advance(1);
    const res = await t.as(t.admin, 'GET', '/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
  });

  it('requires X-CSRF-Token on cookie-authenticated writes but not on Bearer token writes', async () => {
    t = await createTestApp(dialect);
    const cookieOnly = (method: 'GET' | 'PATCH', headers: { 'x-csrf-token'?: string } = {}) =>
      t.app.inject({
        method,
        url: '/api/v1/me',
        headers: { cookie: t.admin.cookie, ...headers },
        ...(method === 'PATCH' ? { payload: { availability: 'online' } } : {}),
      });
    expect((await cookieOnly('GET')).statusCode).toBe(200);
    for (const headers of [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': '' }]) {
      const res = await cookieOnly('PATCH', headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
    }
    // Another session's CSRF token does not fit this session.
    const other = await t.login(t.admin.email, t.admin.password);
    expect((await cookieOnly('PATCH', { 'x-csrf-token': other.csrf })).statusCode).toBe(403);
    expect((await t.as(t.admin, 'GET', '/api/v1/me')).json().availability).toBe('offline');
    expect((await cookieOnly('PATCH', { 'x-csrf-token': t.admin.csrf })).statusCode).toBe(200);

    const { token } = (await t.as(t.admin, 'POST', '/api/v1/tokens', { name: 'ci' })).json();
    const viaToken = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
      payload: { availability: 'away' },
    });
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json().availability).toBe('away');
  });

  it("stops a deactivated user's existing session and sign-in", async () => {
    t = await createTestApp(dialect);
    const op = await addUser('op@example.com', 'operator');
    expect((await t.as(op, 'GET', '/api/v1/me')).statusCode).toBe(200);
    // Deactivated directly in the database: every request re-checks the membership, not just the revocation.
    await t.ctx.db.kysely
      .updateTable('memberships')
      .set({ active: 0 })
      .where('user_id', '=', op.id)
      .execute();
    const res = await t.as(op, 'GET', '/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
    const again = await login('op@example.com', PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('invalid_credentials');
  });

  it('enforces roles: operators and supervisors cannot manage channels, users or the audit log', async () => {
    t = await createTestApp(dialect);
    const op = await addUser('op@example.com', 'operator');
    const sup = await addUser('sup@example.com', 'supervisor');
    const channel = (await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' })).json();
    for (const s of [op, sup]) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/channels', { type: 'api', name: 'Mine' }],
        ['PATCH', `/api/v1/channels/${channel.id}`, { name: 'Mine' }],
        ['DELETE', `/api/v1/channels/${channel.id}`, undefined],
        ['POST', '/api/v1/users', { email: 'x@example.com', password: PASSWORD, role: 'admin' }],
        ['PATCH', `/api/v1/users/${s.userId}`, { role: 'admin' }],
        ['GET', '/api/v1/audit-log', undefined],
      ] as const) {
        const res = await t.as(s, method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
      // Reading is open to every role; admin-only connection details are not shown.
      const read = await t.as(s, 'GET', `/api/v1/channels/${channel.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).not.toHaveProperty('connection');
    }
    const channels = await t.ctx.db.kysely.selectFrom('channels').select('name').execute();
    expect(channels).toEqual([{ name: 'Shop' }]);
    expect((await t.as(op, 'GET', '/api/v1/me')).json().role).toBe('operator');
  });

  it('answers 401 without credentials and for an unknown cookie', async () => {
    t = await createTestApp(dialect);
    for (const headers of [{}, { cookie: 'sb_session=not-a-session' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });
});
