import * as OTPAuth from 'otpauth';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

const codeAt = (secret: string, at: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: at });

/** Issue 18 #6: a person with a user in several accounts switches between them in the console. */
describe.each(dialects)('account switcher (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });
  const email = 'pat@multi.test';
  const password = 'pat shared password 1';
  let acme: string;
  let globex: string;
  let initech: string;

  beforeEach(async () => {
    acme = (await createAccountWithAdmin(t.ctx, { accountName: 'Acme', email, password })).accountId;
    globex = (await createAccountWithAdmin(t.ctx, { accountName: 'Globex', email, password })).accountId;
    // The same e-mail with another password: not proven by Pat's password, never offered.
    initech = (
      await createAccountWithAdmin(t.ctx, { accountName: 'Initech', email, password: 'another secret 12' })
    ).accountId;
  });

  const inject = (s: Session | null, method: string, url: string, payload?: unknown) =>
    s
      ? t.as(s, method, url, payload)
      : t.app.inject({ method: method as 'POST', url, payload: payload as object });
  async function signIn(accountId?: string): Promise<Session> {
    const r = await inject(null, 'POST', '/api/v1/auth/login', { email, password, accountId });
    expect(r.statusCode, r.body).toBe(200);
    return sessionOf(r);
  }
  function sessionOf(r: Awaited<ReturnType<typeof t.app.inject>>): Session {
    const cookie = r.cookies.find((c) => c.name === 'sb_session')!;
    const me = r.json();
    return {
      cookie: `sb_session=${cookie.value}`,
      csrf: me.csrfToken,
      userId: me.user.id,
      accountId: me.account.id,
    };
  }
  const accountsOf = async (s: Session) => {
    const r = await inject(s, 'GET', '/api/v1/me/accounts');
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items as { id: string; name: string; current: boolean; twoFactor: boolean }[];
  };

  it('lists only the accounts the password proved, switches without a password, and ends the old session', async () => {
    const first = await inject(null, 'POST', '/api/v1/auth/login', { email, password });
    expect(first.statusCode).toBe(409);
    const s = await signIn(acme);
    expect(await accountsOf(s)).toEqual([
      { id: acme, name: 'Acme', current: true, twoFactor: false },
      { id: globex, name: 'Globex', current: false, twoFactor: false },
    ]);

    const switched = await inject(s, 'POST', '/api/v1/me/accounts/switch', { accountId: globex });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json().account).toEqual({ id: globex, name: 'Globex' });
    const g = sessionOf(switched);
    expect((await inject(g, 'GET', '/api/v1/me')).json().account.id).toBe(globex);
    // The list travels with the new session; the old cookie is dead.
    expect((await accountsOf(g)).map((a) => [a.name, a.current])).toEqual([
      ['Acme', false],
      ['Globex', true],
    ]);
    expect((await inject(s, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['details'])
      .where('account_id', '=', globex)
      .where('action', '=', 'auth.signed_in')
      .execute();
    expect(audit.map((a) => JSON.parse(a.details).via)).toContain('switch');

    // An account the password did not open: 404, whatever the caller knows of its id.
    const intoInitech = await inject(g, 'POST', '/api/v1/me/accounts/switch', { accountId: initech });
    expect(intoInitech.statusCode).toBe(404);
  });

  it('drops an account whose password changed since sign-in, or whose user was deactivated', async () => {
    const s = await signIn(acme);
    const globexUser = await t.ctx.db.kysely
      .selectFrom('users')
      .select('id')
      .where('account_id', '=', globex)
      .executeTakeFirstOrThrow();
    // Globex's own session changes the password there.
    const g = await signIn(globex);
    const changed = await inject(g, 'POST', '/api/v1/me/password', {
      currentPassword: password,
      newPassword: 'pat globex only 99',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await accountsOf(s)).map((a) => a.name)).toEqual(['Acme']);
    expect((await inject(s, 'POST', '/api/v1/me/accounts/switch', { accountId: globex })).statusCode).toBe(
      404,
    );

    // A fresh sign-in with the Acme password no longer proves Globex; deactivation removes it too.
    const again = await signIn();
    expect((await accountsOf(again)).map((a) => a.name)).toEqual(['Acme']);
    await t.ctx.db.kysely
      .updateTable('memberships')
      .set({ active: 0 })
      .where('user_id', '=', globexUser.id)
      .execute();
    expect((await accountsOf(again)).map((a) => a.name)).toEqual(['Acme']);
  });

  it("asks for the target account's second factor, and switching never skips it", async () => {
    // Pat turns on two-factor sign-in in Globex.
    const g0 = await signIn(globex);
    const setup = await inject(g0, 'POST', '/api/v1/me/2fa/setup');
    const secret = setup.json().secret as string;
    const confirm = await inject(g0, 'POST', '/api/v1/me/2fa/confirm', {
      code: codeAt(secret, t.clock.now()),
    });
    expect(confirm.statusCode, confirm.body).toBe(200);

    const s = await signIn(acme);
    expect((await accountsOf(s)).find((a) => a.id === globex)?.twoFactor).toBe(true);
    const bare = await inject(s, 'POST', '/api/v1/me/accounts/switch', { accountId: globex });
    expect(bare.statusCode).toBe(401);
    expect(bare.json().error.code).toBe('two_factor_required');
    expect(bare.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();
    const wrong = await inject(s, 'POST', '/api/v1/me/accounts/switch', {
      accountId: globex,
      code: '000000',
    });
    expect(wrong.json().error.code).toBe('invalid_code');
    t.clock.advance(31_000);
    const ok = await inject(s, 'POST', '/api/v1/me/accounts/switch', {
      accountId: globex,
      code: codeAt(secret, t.clock.now()),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().account.id).toBe(globex);
  });

  it('a sign-in finished with a code keeps the list, and an API token sees only its own account', async () => {
    const g0 = await signIn(globex);
    const secret = (await inject(g0, 'POST', '/api/v1/me/2fa/setup')).json().secret as string;
    await inject(g0, 'POST', '/api/v1/me/2fa/confirm', { code: codeAt(secret, t.clock.now()) });
    const pending = await inject(null, 'POST', '/api/v1/auth/login', { email, password, accountId: globex });
    expect(pending.json().error.code).toBe('two_factor_required');
    t.clock.advance(31_000);
    const done = await inject(null, 'POST', '/api/v1/auth/login/2fa', {
      pendingToken: pending.json().error.details.pendingToken,
      code: codeAt(secret, t.clock.now()),
    });
    expect(done.statusCode, done.body).toBe(200);
    expect((await accountsOf(sessionOf(done))).map((a) => a.name)).toEqual(['Acme', 'Globex']);

    const token = await inject(sessionOf(done), 'POST', '/api/v1/tokens', { name: 'script' });
    expect(token.statusCode, token.body).toBe(201);
    const viaToken = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/accounts',
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    expect(viaToken.json().items.map((a: { name: string }) => a.name)).toEqual(['Globex']);
  });

  it('signing in at the console sets the presence the account chose (online by default)', async () => {
    const offline = await t.ctx.db.kysely
      .selectFrom('memberships')
      .select('availability')
      .where('account_id', '=', acme)
      .executeTakeFirstOrThrow();
    expect(offline.availability).toBe('offline');
    // A script's sign-in leaves presence alone; the console's sets it.
    const script = await signIn(acme);
    expect((await inject(script, 'GET', '/api/v1/me')).json().availability).toBe('offline');
    const atConsole = await inject(null, 'POST', '/api/v1/auth/login', {
      email,
      password,
      accountId: acme,
      startPresence: true,
    });
    expect(atConsole.json().availability).toBe('online');
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select('type')
      .where('account_id', '=', acme)
      .where('type', '=', 'presence.updated')
      .execute();
    expect(events).toHaveLength(1);

    // The admin chooses "unchanged": the next console sign-in keeps what the operator last set.
    const admin = sessionOf(atConsole);
    const put = await inject(admin, 'PUT', '/api/v1/account/security', { signInAvailability: 'unchanged' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ requireTwoFactor: false, signInAvailability: 'unchanged' });
    await inject(admin, 'PATCH', '/api/v1/me', { availability: 'away' });
    const later = await inject(null, 'POST', '/api/v1/auth/login', {
      email,
      password,
      accountId: acme,
      startPresence: true,
    });
    expect(later.json().availability).toBe('away');
  });
});
