import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();

/** The code an authenticator app shows for this secret at this moment (RFC 6238 defaults). */
function codeAt(secret: string, at: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: at });
}

describe.each(dialects)('two-factor sign-in (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  const login = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
  const second = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login/2fa', payload: body });
  const password = () => login({ email: t.admin.email, password: t.admin.password });

  async function enrol(s: Session): Promise<{ secret: string; recoveryCodes: string[] }> {
    const setup = await t.as(s, 'POST', '/api/v1/me/2fa/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await t.as(s, 'POST', '/api/v1/me/2fa/confirm', { code: '000000' });
    expect(wrong.json().error.code).toBe('invalid_code');
    const ok = await t.as(s, 'POST', '/api/v1/me/2fa/confirm', { code: codeAt(secret, t.clock.now()) });
    expect(ok.statusCode, ok.body).toBe(200);
    return { secret, recoveryCodes: ok.json().recoveryCodes };
  }

  it('enrols with a confirming code, then signs in with a code as a second step; each code works once', async () => {
    const { secret, recoveryCodes } = await enrol(t.admin);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await t.ctx.db.kysely.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored).toHaveLength(10);
    for (const c of recoveryCodes) expect(stored.map((r) => r.code_hash)).not.toContain(c);
    const secretRow = await t.ctx.db.kysely
      .selectFrom('users')
      .select('totp_secret_enc')
      .where('id', '=', t.admin.userId)
      .executeTakeFirstOrThrow();
    expect(secretRow.totp_secret_enc).not.toContain(secret);

    t.clock.advance(30_000);
    const first = await password();
    expect(first.statusCode).toBe(401);
    expect(first.json().error.code).toBe('two_factor_required');
    expect(first.cookies).toEqual([]);
    const { pendingToken } = first.json().error.details;
    // The pending token is not a session.
    const asCookie = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `sb_session=${pendingToken}` },
    });
    expect(asCookie.statusCode).toBe(401);
    expect((await second({ pendingToken, code: '123456' })).json().error.code).toBe('invalid_code');
    const code = codeAt(secret, t.clock.now());
    const done = await second({ pendingToken, code });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user.id).toBe(t.admin.userId);
    expect(done.cookies.find((c) => c.name === 'sb_session')).toBeDefined();
    // The pending login is spent, and the same code does not open a second sign-in.
    expect((await second({ pendingToken, code })).statusCode).toBe(401);
    const again = (await password()).json().error.details.pendingToken;
    expect((await second({ pendingToken: again, code })).json().error.code).toBe('invalid_code');
    t.clock.advance(30_000);
    expect((await second({ pendingToken: again, code: codeAt(secret, t.clock.now()) })).statusCode).toBe(200);
  });

  it('a recovery code opens one sign-in; a pending login allows five tries and expires', async () => {
    const { recoveryCodes } = await enrol(t.admin);
    const pending = async () => (await password()).json().error.details.pendingToken as string;
    const p1 = await pending();
    const used = await second({ pendingToken: p1, recoveryCode: recoveryCodes[3]!.toUpperCase() });
    expect(used.statusCode, used.body).toBe(200);
    const p2 = await pending();
    expect((await second({ pendingToken: p2, recoveryCode: recoveryCodes[3] })).json().error.code).toBe(
      'invalid_code',
    );
    const status = await t.as(t.admin, 'GET', '/api/v1/me/2fa');
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });

    const p3 = await pending();
    for (let i = 0; i < 5; i++)
      expect((await second({ pendingToken: p3, code: '000000' })).statusCode).toBe(400);
    const sixth = await second({ pendingToken: p3, recoveryCode: recoveryCodes[0] });
    expect(sixth.json().error.code).toBe('invalid_credentials');
    const p4 = await pending();
    t.clock.advance(5 * 60_000 + 1);
    expect((await second({ pendingToken: p4, recoveryCode: recoveryCodes[0] })).statusCode).toBe(401);
    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'auth.%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toContain('auth.two_factor_enabled');
    expect(actions.map((a) => a.action)).toContain('auth.recovery_code_used');
  });

  it('turns off with the password and a code; the account can require it of everyone', async () => {
    const { secret } = await enrol(t.admin);
    t.clock.advance(30_000);
    const noCode = await t.as(t.admin, 'POST', '/api/v1/me/2fa/disable', {
      password: t.admin.password,
      code: '000000',
    });
    expect(noCode.json().error.code).toBe('invalid_code');
    const wrongPw = await t.as(t.admin, 'POST', '/api/v1/me/2fa/disable', {
      password: 'not the password',
      code: codeAt(secret, t.clock.now()),
    });
    expect(wrongPw.json().error.code).toBe('invalid_credentials');
    // Require it for the account: the admin has it, an operator without it is sent to enrol.
    const set = await t.as(t.admin, 'PUT', '/api/v1/account/security', { requireTwoFactor: true });
    expect(set.statusCode, set.body).toBe(200);
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: 'operator password 1',
      role: 'operator',
    });
    const op = await t.login('op@example.com', 'operator password 1');
    const me = await t.as(op, 'GET', '/api/v1/me');
    expect(me.json().twoFactorEnrollmentRequired).toBe(true);
    const refused = await t.as(op, 'GET', '/api/v1/conversations');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('two_factor_enrollment_required');
    await enrol(op);
    expect((await t.as(op, 'GET', '/api/v1/conversations')).statusCode).toBe(200);

    const off = await t.as(t.admin, 'POST', '/api/v1/me/2fa/disable', {
      password: t.admin.password,
      code: codeAt(secret, t.clock.now()),
    });
    expect(off.statusCode, off.body).toBe(204);
    // Required by the account: the admin's session is now sent to enrol again.
    expect((await t.as(t.admin, 'GET', '/api/v1/users')).json().error.code).toBe(
      'two_factor_enrollment_required',
    );
    const signIn = await password();
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().twoFactorEnrollmentRequired).toBe(true);
    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.two_factor_disabled')
      .execute();
    expect(actions).toHaveLength(1);
  });

  it("an admin's reset can turn a member's second factor off (a lost phone)", async () => {
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: 'operator password 1',
      role: 'operator',
    });
    const op = await t.login('op@example.com', 'operator password 1');
    await enrol(op);
    const r = await t.as(t.admin, 'POST', `/api/v1/users/${op.userId}/reset-access`, {
      mode: 'temporary_password',
      disableTwoFactor: true,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect((await t.as(op, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const signIn = await login({ email: 'op@example.com', password: r.json().temporaryPassword });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().passwordChangeRequired).toBe(true);
  });
});
