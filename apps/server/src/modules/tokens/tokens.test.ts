import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();
const PASSWORD = 'operator password 1';

describe.each(dialects)('API tokens (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });
  let op: Session;

  beforeEach(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: PASSWORD,
      role: 'operator',
      name: 'Oleg',
    });
    expect(res.statusCode).toBe(201);
    op = await t.login('op@example.com', PASSWORD);
  });

  const bearer = (token: string, method: string, url: string, body?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  async function mint(s: Session, name: string, more: Record<string, unknown> = {}) {
    const res = await t.as(s, 'POST', '/api/v1/tokens', { name, ...more });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; prefix: string; name: string };
  }

  it('returns the token once, stores only its hash, and lists it by prefix', async () => {
    const created = await mint(t.admin, 'CRM sync');
    expect(created.token).toMatch(/^sbt_[A-Za-z0-9_-]{40,}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(created.token.length / 3);
    expect(created).toMatchObject({ name: 'CRM sync', user: { id: t.admin.userId, name: 'Ada Admin' } });

    const rows = await t.ctx.db.kysely.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(created.token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await t.as(t.admin, 'GET', '/api/v1/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.token);
    expect(list.json().items).toEqual([
      {
        id: created.id,
        name: 'CRM sync',
        prefix: created.prefix,
        user: { id: t.admin.userId, name: 'Ada Admin' },
        scope: 'write',
        createdAt: t.clock.now(),
        expiresAt: null,
        expired: false,
        lastUsedAt: null,
      },
    ]);
  });

  it('authenticates as its creator with their current role, needs no CSRF header, and records last use', async () => {
    const { token, id } = await mint(op, 'script');
    const me = await bearer(token, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: op.userId }, role: 'operator', csrfToken: null });
    // A Bearer write without X-CSRF-Token is fine: no browser attaches this header on its own.
    const write = await bearer(token, 'PATCH', '/api/v1/me', { availability: 'away' });
    expect(write.statusCode).toBe(200);
    const forbidden = await bearer(token, 'POST', '/api/v1/users', {
      email: 'x@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');

    // Promoting the creator promotes the token: the role is read on every call.
    await t.as(t.admin, 'PATCH', `/api/v1/users/${op.userId}`, { role: 'admin' });
    const now = await bearer(token, 'POST', '/api/v1/users', {
      email: 'x@example.com',
      password: PASSWORD,
      role: 'operator',
    });
    expect(now.statusCode).toBe(201);

    const listed = (await t.as(op, 'GET', '/api/v1/tokens')).json().items;
    expect(listed.find((x: { id: string }) => x.id === id).lastUsedAt).toBe(t.clock.now());
  });

  it('cannot mint further tokens with a token (a leaked one must not outlive its revocation)', async () => {
    const { token } = await mint(op, 'script');
    const res = await bearer(token, 'POST', '/api/v1/tokens', { name: 'child' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect(await t.ctx.db.kysely.selectFrom('api_tokens').select('id').execute()).toHaveLength(1);
  });

  it('answers 401 immediately after revocation and drops the token from the list', async () => {
    const { token, id } = await mint(op, 'script');
    expect((await bearer(token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const del = await t.as(op, 'DELETE', `/api/v1/tokens/${id}`);
    expect(del.statusCode).toBe(204);
    const after = await bearer(token, 'GET', '/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    expect((await t.as(op, 'GET', '/api/v1/tokens')).json().items).toEqual([]);
    const again = await t.as(op, 'DELETE', `/api/v1/tokens/${id}`);
    expect(again.statusCode).toBe(404);
    const log = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_type', '=', 'api_token')
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      { action: 'token.created', target_id: id },
      { action: 'token.revoked', target_id: id },
    ]);
  });

  it("shows admins every token of the account and others only their own; others cannot revoke someone else's", async () => {
    const mine = await mint(op, 'operator token');
    const admins = await mint(t.admin, 'admin token');
    const opList = (await t.as(op, 'GET', '/api/v1/tokens')).json().items.map((x: { id: string }) => x.id);
    expect(opList).toEqual([mine.id]);
    const adminList = (await t.as(t.admin, 'GET', '/api/v1/tokens')).json().items;
    expect(adminList.map((x: { id: string }) => x.id).sort()).toEqual([mine.id, admins.id].sort());

    const steal = await t.as(op, 'DELETE', `/api/v1/tokens/${admins.id}`);
    expect(steal.statusCode).toBe(404);
    expect((await bearer(admins.token, 'GET', '/api/v1/me')).statusCode).toBe(200);

    expect((await t.as(t.admin, 'DELETE', `/api/v1/tokens/${mine.id}`)).statusCode).toBe(204);
    expect((await bearer(mine.token, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('stops working while its creator is deactivated', async () => {
    const { token } = await mint(op, 'script');
    expect((await t.as(t.admin, 'DELETE', `/api/v1/users/${op.userId}`)).statusCode).toBe(204);
    const res = await bearer(token, 'GET', '/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  // Bad bodies are refused before any row is read: tokens-validation.test.ts (bare app).
  it('rejects malformed or unknown tokens', async () => {
    for (const header of ['Bearer sbt_unknown', 'Bearer not-a-token', 'Basic abc']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: header },
      });
      expect(res.statusCode, header).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('expires at expiresAt with 401 token_expired, and the list says so', async () => {
    const DAY = 86_400_000;
    const { token, id } = await mint(op, 'thirty days', { expiresAt: t.clock.now() + 30 * DAY });
    expect((await bearer(token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(30 * DAY - 1);
    expect((await bearer(token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(1);
    for (const [method, url] of [
      ['GET', '/api/v1/me'],
      ['PATCH', '/api/v1/me'],
    ] as const) {
      const res = await bearer(token, method, url, method === 'PATCH' ? { availability: 'away' } : undefined);
      expect(res.statusCode, method).toBe(401);
      expect(res.json().error.code).toBe('token_expired');
    }
    // Thirty days on, the sessions of the beginning have ended too.
    op = await t.login('op@example.com', PASSWORD);
    const listed = (await t.as(op, 'GET', '/api/v1/tokens')).json().items;
    expect(listed).toEqual([
      expect.objectContaining({ id, expiresAt: t.clock.now(), expired: true, scope: 'write' }),
    ]);

    for (const expiresAt of [t.clock.now(), t.clock.now() - 1, 'tomorrow', 1.5]) {
      const res = await t.as(op, 'POST', '/api/v1/tokens', { name: 'x', expiresAt });
      expect(res.statusCode, String(expiresAt)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });

  it('lets a read-only token GET and HEAD anything its role may, and refuses every other method with 403 token_read_only', async () => {
    const { token, id } = await mint(t.admin, 'dashboard', { scope: 'read' });
    expect((await t.as(t.admin, 'GET', '/api/v1/tokens')).json().items[0]).toMatchObject({
      id,
      scope: 'read',
      expiresAt: null,
    });
    expect((await bearer(token, 'GET', '/api/v1/users')).statusCode).toBe(200);
    expect((await bearer(token, 'GET', '/api/v1/audit-log')).statusCode).toBe(200);
    expect((await bearer(token, 'HEAD', '/api/v1/me')).statusCode).toBe(200);
    const writes: [string, string, unknown][] = [
      ['PATCH', '/api/v1/me', { availability: 'away' }],
      ['POST', '/api/v1/teams', { name: 'Sneaky' }],
      ['POST', '/api/v1/users', { email: 'x@example.com', password: PASSWORD, role: 'admin' }],
      ['DELETE', `/api/v1/tokens/${id}`, undefined],
      ['PUT', '/api/v1/account/time-zone', { timeZone: 'Europe/Moscow' }],
      ['POST', '/api/v1/exports', { kind: 'messages' }],
    ];
    for (const [method, url, body] of writes) {
      const res = await bearer(token, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('token_read_only');
    }
    expect(await t.ctx.db.kysely.selectFrom('teams').select('id').execute()).toEqual([]);
    // A write token of the same user still writes.
    const rw = await mint(t.admin, 'sync');
    expect((await bearer(rw.token, 'POST', '/api/v1/teams', { name: 'Real' })).statusCode).toBe(201);
    const bad = await t.as(t.admin, 'POST', '/api/v1/tokens', { name: 'x', scope: 'admin' });
    expect(bad.statusCode).toBe(400);
  });
});
