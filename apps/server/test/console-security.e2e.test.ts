// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import { consoleSuiteRunnable, signIn } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/** The code an authenticator app would show now, after waiting for a step no earlier code used. */
async function freshCode(secret: string, usedStep: { n: number }): Promise<string> {
  let step = Math.floor(Date.now() / 30_000);
  if (step <= usedStep.n) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 200));
    step = Math.floor(Date.now() / 30_000);
  }
  usedStep.n = step;
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
}

describe.skipIf(!runnable)('Sign-in security in the console (Chromium)', () => {
  const ui = useConsole();

  async function page(): Promise<Page> {
    return await ui.page();
  }
  async function signOut(p: Page): Promise<void> {
    await p.getByTestId('user-menu').click();
    await p.getByTestId('sign-out').click();
    await p.locator('input[type=email]').waitFor();
  }
  async function fillCredentials(p: Page, email: string, password: string): Promise<void> {
    await p.goto(`${ui.server.url}/`);
    await p.locator('input[type=email]').fill(email);
    await p.locator('input[type=password]').fill(password);
    await p.locator('form button[type=submit]').click();
  }
  const me = (p: Page) =>
    p.evaluate(async () => (await fetch('/api/v1/me')).json()) as Promise<{
      account: { id: string; name: string };
      passwordChangeRequired: boolean;
    }>;

  it('enrols two-factor sign-in with the QR code, signs out, and signs in again with a code', async () => {
    const p = await page();
    await signIn(p, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await p.getByTestId('user-menu').click();
    await p.getByTestId('nav-security').click();
    await p.getByTestId('enrol-2fa').click();
    const qr = p.getByTestId('totp-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await p.getByTestId('totp-secret').innerText()).trim();
    const used = { n: 0 };
    await p.getByTestId('totp-confirm-code').fill(await freshCode(secret, used));
    await p.getByRole('button', { name: 'Confirm' }).click();
    await p.getByTestId('recovery-codes').waitFor();
    expect(await p.getByTestId('recovery-code').count()).toBe(10);
    await p.getByTestId('recovery-done').click();
    await p.getByTestId('2fa-status').filter({ hasText: 'On' }).waitFor();

    await signOut(p);
    await fillCredentials(p, ui.server.admin.email, ui.server.admin.password);
    const codeBox = p.getByTestId('login-code');
    await codeBox.waitFor();
    await codeBox.fill('000000');
    await p.locator('form button[type=submit]').click();
    await p.getByRole('alert').filter({ hasText: 'Wrong, expired or already used code.' }).waitFor();
    await codeBox.fill(await freshCode(secret, used));
    await p.locator('form button[type=submit]').click();
    await p.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
    expect((await me(p)).account.name).toBe('Acme Support');
    // Leave the admin as the other suites expect: second factor off again.
    const api = await p.evaluate(
      async ({ password, code }) => {
        const m = await (await fetch('/api/v1/me')).json();
        const r = await fetch('/api/v1/me/2fa/disable', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': m.csrfToken },
          body: JSON.stringify({ password, code }),
        });
        return r.status;
      },
      { password: ui.server.admin.password, code: await freshCode(secret, used) },
    );
    expect(api).toBe(204);
    expect(ui.problems).toEqual([]);
  }, 120_000);

  it("another account's password for a shared address never opens this account; the picker lists only opened accounts", async () => {
    await createAccountWithAdmin(ui.server.ctx, {
      accountName: 'Globex',
      email: 'boss@globex.test',
      password: 'globex boss password',
    });
    const globex = await ui.server.session('boss@globex.test', 'globex boss password');
    const acme = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    // Globex's admin creates a sign-in for Acme's new hire, with a password Globex chose ...
    const byGlobex = await globex.call('POST', '/api/v1/users', {
      email: 'hire@acme.test',
      password: 'chosen by globex 1',
      role: 'admin',
    });
    expect(byGlobex.status).toBe(201);
    // ... then Acme adds its real new hire with the same address.
    const byAcme = await acme.call<{ id: string }>('POST', '/api/v1/users', {
      email: 'hire@acme.test',
      password: 'acme temporary 12',
      role: 'operator',
      name: 'Hanna',
    });
    expect(byAcme.status).toBe(201);

    const p = await page();
    await fillCredentials(p, 'hire@acme.test', 'chosen by globex 1');
    await p.getByTestId('forced-password-change').waitFor();
    expect((await me(p)).account.name).toBe('Globex');
    await p.getByRole('button', { name: 'Sign out' }).click();

    // Acme's temporary password opens Acme, and only the change-password screen until it is changed.
    await fillCredentials(p, 'hire@acme.test', 'acme temporary 12');
    await p.getByTestId('forced-password-change').waitFor();
    expect(await me(p)).toMatchObject({ account: { name: 'Acme Support' }, passwordChangeRequired: true });
    await p.getByTestId('current-password').fill('acme temporary 12');
    await p.getByTestId('new-password').fill('qwertyuiop');
    await p.getByTestId('repeat-password').fill('qwertyuiop');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.getByRole('alert').filter({ hasText: 'This is one of the most common passwords.' }).waitFor();
    await p.getByTestId('new-password').fill('hanna chose this one');
    await p.getByTestId('repeat-password').fill('hanna chose this one');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
    await signOut(p);

    // Acme's admin resets Hanna's access from the Operators page: a temporary password shown once.
    const admin = await page();
    await signIn(admin, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await admin.goto(`${ui.server.url}/admin/users`);
    await admin
      .getByTestId('user-row')
      .filter({ hasText: 'hire@acme.test' })
      .getByTestId('reset-access')
      .click();
    await admin.getByTestId('reset-confirm').click();
    const temporary = (await admin.getByTestId('temporary-password').innerText()).trim();
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    await fillCredentials(p, 'hire@acme.test', temporary);
    await p.getByTestId('forced-password-change').waitFor();
    await p.getByRole('button', { name: 'Sign out' }).click();

    // One person with the same password in two accounts is asked which one, and gets that one.
    await createAccountWithAdmin(ui.server.ctx, {
      accountName: 'Initech',
      email: 'boss@globex.test',
      password: 'globex boss password',
    });
    await fillCredentials(p, 'boss@globex.test', 'globex boss password');
    const picker = p.getByTestId('account-picker');
    await picker.waitFor();
    expect(await picker.getByRole('radio').count()).toBe(2);
    await picker.getByLabel('Initech').check();
    await p.locator('form button[type=submit]').click();
    await p.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
    expect((await me(p)).account.name).toBe('Initech');
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
