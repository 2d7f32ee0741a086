import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

/**
 * Issue 19, point 1: users belong to one account. Account B's admin creating a sign-in for an address of
 * account A must never give B (or anyone knowing B's password) a way into A.
 */
describe.each(dialects)('users belong to one account (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let a: Session;
  let b: Session;

  beforeEach(async () => {
    a = t.admin;
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'boss@globex.test',
      password: 'globex boss password',
    });
    b = await t.login('boss@globex.test', 'globex boss password');
  });

  const login = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
  const create = (s: Session, email: string, password: string) =>
    t.as(s, 'POST', '/api/v1/users', { email, password, role: 'operator', name: 'New Hire' });
  /** What an admin learns from a create answer, without the parts that differ for any two users. */
  const visible = (body: Record<string, unknown>) => {
    const { id: _id, email: _email, createdAt: _c, updatedAt: _u, ...rest } = body;
    return rest;
  };

  it("B's password for A's new hire never opens A, and A keeps full control of its member", async () => {
    // B creates a sign-in for an address it does not own, with a password B chose.
    const byB = await create(b, 'hire@acme.test', 'chosen by globex 1');
    expect(byB.statusCode).toBe(201);
    // A then adds the same address (its real new hire) with its own temporary password.
    const byA = await create(a, 'hire@acme.test', 'acme temporary 12');
    expect(byA.statusCode, byA.body).toBe(201);
    const aMember = byA.json();
    expect(aMember.id).not.toBe(byB.json().id);
    expect(aMember.name).toBe('New Hire');

    // B's password opens B's user only: never A, with or without naming A.
    const viaB = await login({ email: 'hire@acme.test', password: 'chosen by globex 1' });
    expect(viaB.statusCode).toBe(200);
    expect(viaB.json().account.id).toBe(b.accountId);
    const intoA = await login({
      email: 'hire@acme.test',
      password: 'chosen by globex 1',
      accountId: a.accountId,
    });
    expect(intoA.statusCode).toBe(401);
    expect(intoA.json().error.code).toBe('invalid_credentials');

    // A's password opens A's member, who must choose their own password first.
    const viaA = await login({ email: 'hire@acme.test', password: 'acme temporary 12' });
    expect(viaA.statusCode).toBe(200);
    expect(viaA.json()).toMatchObject({ account: { id: a.accountId }, passwordChangeRequired: true });

    // A's admin can rename, reset and deactivate its member (no 409 because B "has" the address).
    const renamed = await t.as(a, 'PATCH', `/api/v1/users/${aMember.id}`, { name: 'Hanna Hire' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('Hanna Hire');
    const repassed = await t.as(a, 'PATCH', `/api/v1/users/${aMember.id}`, {
      password: 'acme second temp 1',
    });
    expect(repassed.statusCode, repassed.body).toBe(200);
    const reset = await t.as(a, 'POST', `/api/v1/users/${aMember.id}/reset-access`, {
      mode: 'temporary_password',
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const temporary = reset.json().temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    expect((await login({ email: 'hire@acme.test', password: 'acme second temp 1' })).statusCode).toBe(401);
    expect((await login({ email: 'hire@acme.test', password: temporary })).json().account.id).toBe(
      a.accountId,
    );
    const off = await t.as(a, 'DELETE', `/api/v1/users/${aMember.id}`);
    expect(off.statusCode).toBe(204);
    // B's user is untouched by all of this.
    expect((await t.as(b, 'GET', `/api/v1/users/${byB.json().id}`)).json()).toMatchObject({
      name: 'New Hire',
      active: true,
    });
    expect((await t.as(b, 'GET', `/api/v1/users/${aMember.id}`)).statusCode).toBe(404);
  });

  it("B's answer to creating a user is the same whether the e-mail exists in A or not", async () => {
    expect((await create(a, 'known@acme.test', 'acme temporary 12')).statusCode).toBe(201);
    const existing = await create(b, 'known@acme.test', 'chosen by globex 1');
    const fresh = await create(b, 'unknown@acme.test', 'chosen by globex 1');
    expect(existing.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(existing.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect(visible(existing.json())).toEqual(visible(fresh.json()));
    expect(existing.json().email).toBe('known@acme.test');
  });

  it('sign-in asks which account only when the password opens several, and lists only those', async () => {
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Initech',
      email: 'sam@example.com',
      password: 'the same passphrase',
    });
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Hooli',
      email: 'sam@example.com',
      password: 'the same passphrase',
    });
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Umbrella',
      email: 'sam@example.com',
      password: 'a different passphrase',
    });
    const res = await login({ email: 'Sam@Example.com ', password: 'the same passphrase' });
    expect(res.statusCode).toBe(409);
    const err = res.json().error;
    expect(err.code).toBe('account_choice_required');
    expect(err.details.accounts.map((x: { name: string }) => x.name)).toEqual(['Hooli', 'Initech']);
    expect(res.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();

    const chosen = err.details.accounts[1].id as string;
    const signed = await login({
      email: 'sam@example.com',
      password: 'the same passphrase',
      accountId: chosen,
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().account).toEqual({ id: chosen, name: 'Initech' });
    // The other password opens exactly one account: no question asked.
    const single = await login({ email: 'sam@example.com', password: 'a different passphrase' });
    expect(single.json().account.id).toBe(other.accountId);
  });

  it('answers a wrong e-mail, a wrong password and a deactivated user identically', async () => {
    const u = await create(a, 'leaver@acme.test', 'acme temporary 12');
    await t.login('leaver@acme.test', 'acme temporary 12');
    expect((await t.as(a, 'DELETE', `/api/v1/users/${u.json().id}`)).statusCode).toBe(204);
    const answers = await Promise.all([
      login({ email: 'nobody@acme.test', password: 'acme temporary 12' }),
      login({ email: 'leaver@acme.test', password: 'not the password' }),
      login({ email: 'leaver@acme.test', password: 'acme temporary 12' }),
    ]);
    for (const r of answers) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual(answers[0]!.json());
    }
    const failures = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['details', 'account_id'])
      .where('action', '=', 'auth.sign_in_failed')
      .orderBy('id')
      .execute();
    expect(failures.map((f) => JSON.parse(f.details).reason).sort()).toEqual([
      'deactivated',
      'wrong_password',
    ]);
    expect(new Set(failures.map((f) => f.account_id))).toEqual(new Set([a.accountId]));
  });

  it('an admin-set password opens only the change-password screen until the person chooses their own', async () => {
    await create(a, 'newbie@acme.test', 'acme temporary 12');
    const res = await login({ email: 'newbie@acme.test', password: 'acme temporary 12' });
    expect(res.json().passwordChangeRequired).toBe(true);
    const s: Session = {
      cookie: `sb_session=${res.cookies.find((c) => c.name === 'sb_session')!.value}`,
      csrf: res.json().csrfToken,
      userId: res.json().user.id,
      accountId: a.accountId,
    };
    for (const [method, url] of [
      ['GET', '/api/v1/conversations'],
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/tokens'],
    ] as const) {
      const r = await t.as(s, method, url, method === 'POST' ? { name: 'x' } : undefined);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('password_change_required');
    }
    expect((await t.as(s, 'GET', '/api/v1/me')).statusCode).toBe(200);
    // The policy applies, and the temporary password itself cannot be kept.
    const weak = await t.as(s, 'POST', '/api/v1/me/password', {
      currentPassword: 'acme temporary 12',
      newPassword: 'newbie-2026-secret',
    });
    expect(weak.json().error).toMatchObject({
      code: 'weak_password',
      details: { problem: 'contains_email' },
    });
    const same = await t.as(s, 'POST', '/api/v1/me/password', {
      currentPassword: 'acme temporary 12',
      newPassword: 'acme temporary 12',
    });
    expect(same.json().error.code).toBe('weak_password');
    const wrong = await t.as(s, 'POST', '/api/v1/me/password', {
      currentPassword: 'not it at all',
      newPassword: 'my very own phrase',
    });
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const ok = await t.as(s, 'POST', '/api/v1/me/password', {
      currentPassword: 'acme temporary 12',
      newPassword: 'my very own phrase',
    });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await t.as(s, 'GET', '/api/v1/conversations')).statusCode).toBe(200);
    expect((await t.as(s, 'GET', '/api/v1/me')).json().passwordChangeRequired).toBe(false);
    expect((await login({ email: 'newbie@acme.test', password: 'acme temporary 12' })).statusCode).toBe(401);
    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', s.userId)
      .orderBy('id')
      .execute();
    expect(actions.map((x) => x.action)).toEqual([
      'auth.signed_in',
      'auth.password_changed',
      'auth.sign_in_failed',
    ]);
  });

  it('a one-time link lets the member choose a password once; the old one stops working', async () => {
    const u = await create(a, 'linked@acme.test', 'acme temporary 12');
    const reset = await t.as(a, 'POST', `/api/v1/users/${u.json().id}/reset-access`, { mode: 'link' });
    expect(reset.statusCode).toBe(200);
    const { link, temporaryPassword } = reset.json();
    expect(temporaryPassword).toBeNull();
    expect(link).toMatch(/\/access#[\w-]{20,}$/);
    const token = link.split('#')[1];
    expect((await login({ email: 'linked@acme.test', password: 'acme temporary 12' })).statusCode).toBe(401);
    const use = (newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/access-link', payload: { token, newPassword } });
    expect((await use('password1')).json().error.code).toBe('weak_password');
    expect((await use('chosen by myself')).statusCode).toBe(204);
    expect((await use('chosen by myself again')).json().error.code).toBe('invalid_code');
    const signed = await login({ email: 'linked@acme.test', password: 'chosen by myself' });
    expect(signed.json()).toMatchObject({ account: { id: a.accountId }, passwordChangeRequired: false });
  });

  it('documents the sign-in, password and two-factor routes in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/auth/login/2fa', 'post'],
      ['/api/v1/auth/access-link', 'post'],
      ['/api/v1/me/password', 'post'],
      ['/api/v1/me/2fa', 'get'],
      ['/api/v1/me/2fa/setup', 'post'],
      ['/api/v1/me/2fa/confirm', 'post'],
      ['/api/v1/me/2fa/disable', 'post'],
      ['/api/v1/users/{id}/reset-access', 'post'],
      ['/api/v1/account/security', 'put'],
      ['/api/v1/me/accounts', 'get'],
      ['/api/v1/me/accounts/switch', 'post'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(Object.keys(op.responses)).toContain('401');
    }
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(Object.keys(login.requestBody.content['application/json'].schema.properties)).toEqual([
      'email',
      'password',
      'accountId',
      'startPresence',
    ]);
    expect(login.description).toContain('account_choice_required');
  });

  it('create-admin with an e-mail of another account makes a separate user with its own password', async () => {
    const second = await createAccountWithAdmin(t.ctx, {
      accountName: 'Second',
      email: 'admin@example.com',
      password: 'second account pass',
    });
    expect(second.userId).not.toBe(a.userId);
    expect((await login({ email: 'admin@example.com', password: t.admin.password })).json().account.id).toBe(
      a.accountId,
    );
    expect(
      (await login({ email: 'admin@example.com', password: 'second account pass' })).json().account.id,
    ).toBe(second.accountId);
  });
});
