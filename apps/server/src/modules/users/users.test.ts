import { describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();
const PASSWORD = 'operator password 1';

describe.each(dialects)('users API (%s)', (dialect) => {
  const t = useTestApp(dialect);

  async function addUser(body: Record<string, unknown>) {
    const res = await t.as(t.admin, 'POST', '/api/v1/users', { password: PASSWORD, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const auditActions = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'details'])
        .orderBy('id')
        .execute()
    ).filter((a) => a.action.startsWith('user.'));

  it('creates a user with an argon2id password who can then sign in with the given role', async () => {
    const u = await addUser({ email: ' Olga@Example.com ', name: 'Olga', role: 'operator', capacity: 4 });
    expect(u).toMatchObject({
      email: 'olga@example.com',
      name: 'Olga',
      role: 'operator',
      capacity: 4,
      active: true,
      availability: 'offline',
      teamIds: [],
    });
    expect(u).not.toHaveProperty('existingUser');
    const row = await t.ctx.db.kysely
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
    const s = await t.login('olga@example.com', PASSWORD);
    const me = (await t.as(s, 'GET', '/api/v1/me')).json();
    expect(me.role).toBe('operator');
    expect(me.user.id).toBe(u.id);
    const log = await auditActions();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'user.created', target_id: u.id });
    expect(log[0]!.details).not.toContain(PASSWORD);
  });

  // Schema-level bad input is refused before any row is read: users-validation.test.ts (bare app).
  it('answers a weak password with its own stable code and stores nothing', async () => {
    // The password policy has its own stable code, with the reason.
    for (const [password, problem] of [
      ['short', 'too_short'],
      ['1234567890', 'common'],
      ['Aleksandra-at-work-2026', 'contains_email'],
    ]) {
      const res = await t.as(t.admin, 'POST', '/api/v1/users', {
        email: 'aleksandra@example.com',
        password,
        role: 'operator',
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'weak_password', details: { problem } });
    }
    const users = await t.ctx.db.kysely.selectFrom('users').select('id').execute();
    expect(users).toHaveLength(1);
    expect(await auditActions()).toHaveLength(0);
  });

  it('refuses a second membership for the same e-mail with 409 conflict', async () => {
    await addUser({ email: 'olga@example.com', role: 'operator' });
    const res = await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'OLGA@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect(await auditActions()).toHaveLength(1);
  });

  it('lets every role list and read users, with presence, but only admins write', async () => {
    const op = await addUser({ email: 'op@example.com', role: 'operator' });
    const sup = await addUser({ email: 'sup@example.com', role: 'supervisor' });
    const opSession = await t.login('op@example.com', PASSWORD);
    await t.as(opSession, 'PATCH', '/api/v1/me', { availability: 'online' });

    const list = await t.as(opSession, 'GET', '/api/v1/users');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { email: string }) => u.email)).toEqual([
      'admin@example.com',
      'op@example.com',
      'sup@example.com',
    ]);
    expect(list.json().items[1]).toMatchObject({ id: op.id, availability: 'online', role: 'operator' });
    const filtered = await t.as(opSession, 'GET', '/api/v1/users?role=supervisor');
    expect(filtered.json().items.map((u: { id: string }) => u.id)).toEqual([sup.id]);
    expect((await t.as(opSession, 'GET', `/api/v1/users/${sup.id}`)).json().email).toBe('sup@example.com');

    const supSession = await t.login('sup@example.com', PASSWORD);
    for (const s of [opSession, supSession]) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/users', { email: 'x@example.com', password: PASSWORD, role: 'admin' }],
        ['PATCH', `/api/v1/users/${op.id}`, { role: 'admin' }],
        ['DELETE', `/api/v1/users/${t.admin.userId}`, undefined],
      ] as const) {
        const res = await t.as(s, method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    }
    expect((await t.as(t.admin, 'GET', `/api/v1/users/${op.id}`)).json().role).toBe('operator');
  });

  it('updates role, capacity, name and password; a new password signs the user out', async () => {
    const u = await addUser({ email: 'olga@example.com', role: 'operator' });
    const s = await t.login('olga@example.com', PASSWORD);
    const res = await t.as(t.admin, 'PATCH', `/api/v1/users/${u.id}`, {
      role: 'supervisor',
      capacity: 7,
      name: 'Olga K.',
      password: 'a brand new password',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'supervisor', capacity: 7, name: 'Olga K.' });
    expect((await t.as(s, 'GET', '/api/v1/me')).statusCode).toBe(401);
    await expect(t.login('olga@example.com', PASSWORD)).rejects.toThrow(/401/);
    const again = await t.login('olga@example.com', 'a brand new password');
    expect((await t.as(again, 'GET', '/api/v1/me')).json().role).toBe('supervisor');
    // The role change is its own entry (before and after), the rest one `user.updated`.
    const [role, rest] = (await auditActions()).slice(-2);
    expect(role).toMatchObject({ action: 'user.role_changed', target_id: u.id });
    expect(JSON.parse(role!.details)).toEqual({ from: 'operator', to: 'supervisor' });
    expect(rest!.action).toBe('user.updated');
    expect(JSON.parse(rest!.details)).toEqual({ capacity: 7, name: 'Olga K.', passwordChanged: true });
    // Setting the role it already has changes nothing and records nothing.
    const before = (await auditActions()).length;
    expect((await t.as(t.admin, 'PATCH', `/api/v1/users/${u.id}`, { role: 'supervisor' })).statusCode).toBe(
      200,
    );
    expect(await auditActions()).toHaveLength(before);

    const empty = await t.as(t.admin, 'PATCH', `/api/v1/users/${u.id}`, {});
    expect(empty.statusCode).toBe(400);
    const unknown = await t.as(t.admin, 'PATCH', '/api/v1/users/no-such-user', { capacity: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('deactivates with DELETE: sessions revoked, sign-in refused, history kept; PATCH reactivates', async () => {
    const u = await addUser({ email: 'olga@example.com', role: 'operator' });
    const s = await t.login('olga@example.com', PASSWORD);
    await t.as(s, 'PATCH', '/api/v1/me', { availability: 'online' });
    const del = await t.as(t.admin, 'DELETE', `/api/v1/users/${u.id}`);
    expect(del.statusCode).toBe(204);
    expect((await t.as(s, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const sessions = await t.ctx.db.kysely
      .selectFrom('sessions')
      .select('revoked_at')
      .where('user_id', '=', u.id)
      .execute();
    expect(sessions.every((r) => r.revoked_at !== null)).toBe(true);
    await expect(t.login('olga@example.com', PASSWORD)).rejects.toThrow(/401/);
    const dto = (await t.as(t.admin, 'GET', `/api/v1/users/${u.id}`)).json();
    expect(dto).toMatchObject({ active: false, availability: 'offline' });
    const inactive = await t.as(t.admin, 'GET', '/api/v1/users?active=false');
    expect(inactive.json().items.map((x: { id: string }) => x.id)).toEqual([u.id]);
    const presence = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select('payload')
      .where('type', '=', 'presence.updated')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(presence.payload)).toEqual({ userId: u.id, availability: 'offline' });
    expect((await auditActions()).at(-1)).toMatchObject({ action: 'user.deactivated', target_id: u.id });

    const back = await t.as(t.admin, 'PATCH', `/api/v1/users/${u.id}`, { active: true });
    expect(back.json().active).toBe(true);
    expect((await auditActions()).at(-1)).toMatchObject({ action: 'user.activated', target_id: u.id });
    await t.login('olga@example.com', PASSWORD);
  });

  it('never leaves the account without an active admin (409 conflict, nothing written)', async () => {
    const self = t.admin.userId;
    for (const [method, body] of [
      ['PATCH', { role: 'supervisor' }],
      ['PATCH', { active: false }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.as(t.admin, method, `/api/v1/users/${self}`, body);
      expect(res.statusCode, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.json().error.code).toBe('conflict');
    }
    expect((await t.as(t.admin, 'GET', `/api/v1/users/${self}`)).json()).toMatchObject({
      role: 'admin',
      active: true,
    });
    expect(await auditActions()).toHaveLength(0);

    // An inactive admin does not count: making one does not unlock the demotion.
    await addUser({ email: 'dormant@example.com', role: 'admin', active: false });
    expect((await t.as(t.admin, 'PATCH', `/api/v1/users/${self}`, { role: 'operator' })).statusCode).toBe(
      409,
    );

    const other = await addUser({ email: 'second@example.com', role: 'admin' });
    const demoted = await t.as(t.admin, 'PATCH', `/api/v1/users/${self}`, { role: 'operator' });
    expect(demoted.statusCode).toBe(200);
    expect(demoted.json().role).toBe('operator');
    const second = await t.login('second@example.com', PASSWORD);
    expect((await t.as(second, 'DELETE', `/api/v1/users/${other.id}`)).statusCode).toBe(409);
  });

  it('lets only one of two admins demoting each other at the same moment succeed', async () => {
    const other = await addUser({ email: 'second@example.com', role: 'admin' });
    const second: Session = await t.login('second@example.com', PASSWORD);
    const [a, b] = await Promise.all([
      t.as(t.admin, 'PATCH', `/api/v1/users/${other.id}`, { role: 'operator' }),
      t.as(second, 'PATCH', `/api/v1/users/${t.admin.userId}`, { role: 'operator' }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    // The loser is either refused as the last admin (409) or was already demoted when its request began (403).
    expect(codes[0]).toBe(200);
    expect([403, 409]).toContain(codes[1]);
    const admins = await t.ctx.db.kysely
      .selectFrom('memberships')
      .select('user_id')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .execute();
    expect(admins).toHaveLength(1);
  });
});
