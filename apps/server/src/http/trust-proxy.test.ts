import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { testDialects } from '../../test/test-db.ts';
import { HSTS_VALUE } from './transport-security.ts';

const dialects = await testDialects();

/**
 * Over real HTTP from 127.0.0.1, as a reverse proxy on the same host would connect: what the
 * forwarded headers may change depends on TRUST_PROXY alone.
 */
describe.each(dialects)('TRUST_PROXY, Secure cookie and HSTS over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let base: string;

  afterEach(async () => {
    await t?.close();
  });

  async function start(env: Record<string, string>) {
    t = await createTestApp(dialect, { env });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }

  async function login(
    headers: Record<string, string>,
    credentials = { email: t.admin.email, password: t.admin.password },
  ) {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(credentials),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session=')) ?? null;
    return { res, setCookie };
  }

  /** The client IP the server recorded for a fresh session (what the rate limit and audit log see). */
  async function sessionIp(setCookie: string): Promise<string | null> {
    const res = await fetch(`${base}/api/v1/me/sessions`, {
      headers: { cookie: setCookie.split(';')[0]! },
    });
    expect(res.status).toBe(200);
    const items = ((await res.json()) as { items: { ip: string | null; current: boolean }[] }).items;
    return items.find((s) => s.current)!.ip;
  }

  const spoof = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };

  it('ignores forwarded headers without TRUST_PROXY: real IP, no Secure, no HSTS, no escaping the login limit', async () => {
    await start({ LOGIN_RATE_LIMIT: '3' });
    const { res, setCookie } = await login(spoof);
    expect(res.status).toBe(200);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(await sessionIp(setCookie!)).toBe('127.0.0.1');

    // A fresh made-up address per attempt must not buy fresh attempts.
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await login(
        { 'x-forwarded-for': `198.51.100.${i + 1}` },
        { email: 'guess@example.com', password: 'wrong password' },
      );
      codes.push(r.res.status);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });

  it.each([
    ['an address list', '127.0.0.1'],
    ['a CIDR range', '127.0.0.0/8,::1'],
    ['a hop count', '1'],
    ['true', 'true'],
  ])('honours the proxy named by %s: client IP, https, Secure cookie and HSTS', async (_, value) => {
    await start({ TRUST_PROXY: value });
    const { res, setCookie } = await login({
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    });
    expect(res.status).toBe(200);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(res.headers.get('strict-transport-security')).toBe(HSTS_VALUE);
    expect(await sessionIp(setCookie!)).toBe('203.0.113.9');
    const audit = await t.ctx.db.kysely.selectFrom('sessions').select('ip').execute();
    expect(audit.map((s) => s.ip)).toContain('203.0.113.9');

    // The proxy says the browser used plain HTTP: no HSTS, and the cookie is not Secure.
    const plain = await login({ 'x-forwarded-for': '203.0.113.10', 'x-forwarded-proto': 'http' });
    expect(plain.setCookie).not.toMatch(/;\s*Secure/i);
    expect(plain.res.headers.get('strict-transport-security')).toBeNull();
    expect(await sessionIp(plain.setCookie!)).toBe('203.0.113.10');
  });

  it('ignores forwarded headers from a peer outside the trusted list', async () => {
    await start({ TRUST_PROXY: '10.0.0.0/8' });
    const { res, setCookie } = await login(spoof);
    expect(res.status).toBe(200);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(await sessionIp(setCookie!)).toBe('127.0.0.1');
  });

  it('sets a Secure cookie when PUBLIC_URL is https even without a trusted proxy', async () => {
    await start({ PUBLIC_URL: 'https://chat.example.com' });
    const { res, setCookie } = await login({});
    expect(res.status).toBe(200);
    expect(setCookie).toMatch(/;\s*Secure/i);
    // Plain HTTP as far as we can tell: HSTS would be ignored by the browser, so it is not sent.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
