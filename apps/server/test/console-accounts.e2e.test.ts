// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * Issue 18 #6 and "First minutes": a person with a user in several accounts switches between them from
 * the user menu, and signing in at the console starts them Online (the account's setting).
 */
describe.skipIf(!runnable)('Account switcher and sign-in presence (Chromium)', () => {
  const ui = useConsole();
  const email = 'pat@multi.test';
  const password = 'pat shared password 1';

  beforeAll(async () => {
    await createAccountWithAdmin(ui.server.ctx, { accountName: 'North', email, password });
    await createAccountWithAdmin(ui.server.ctx, { accountName: 'South', email, password });
    // Same e-mail, another password: never offered.
    await createAccountWithAdmin(ui.server.ctx, {
      accountName: 'West',
      email,
      password: 'west only pass 12',
    });
  });

  async function signInAs(p: Page, account: string): Promise<void> {
    await p.goto(`${ui.server.url}/`);
    await p.locator('input[type=email]').fill(email);
    await p.locator('input[type=password]').fill(password);
    await p.locator('form button[type=submit]').click();
    await p.getByTestId('account-picker').getByLabel(account).check();
    await p.locator('form button[type=submit]').click();
    await p.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
  }
  const me = (p: Page) =>
    p.evaluate(async () => (await fetch('/api/v1/me')).json()) as Promise<{
      account: { name: string };
      availability: string;
    }>;

  it.each(['en', 'ru'] as const)(
    'switches to the other account from the user menu (%s)',
    async (lang) => {
      for (const width of [375, 1440]) {
        const p = await ui.page({ lang, width, height: 800 });
        await signInAs(p, 'North');
        // Signed in at the console: Online, not Offline.
        expect((await me(p)).availability).toBe('online');
        const presence = await p.getByTestId('presence-select').inputValue();
        expect(presence).toBe(lang === 'en' ? 'Online' : 'В сети');

        await p.getByTestId('user-menu').click();
        expect(await p.getByTestId('current-account').innerText()).toBe('North');
        const items = p.getByTestId('switch-account');
        expect(await items.allInnerTexts()).toEqual(['South']);
        const menuText = await p.getByRole('menu').innerText();
        expect(menuText).toContain(lang === 'en' ? 'Switch account' : 'Перейти в аккаунт');
        if (lang === 'ru') expect(untranslatedWords(menuText, ['North', 'South', 'Pat', 'pat'])).toEqual([]);
        await items.first().click();
        await p.waitForURL(`${ui.server.url}/**`);
        await p.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
        await p.waitForFunction(
          async () => (await (await fetch('/api/v1/me')).json()).account?.name === 'South',
        );
        expect((await me(p)).availability).toBe('online');
        await p.getByTestId('user-menu').click();
        expect(await p.getByTestId('current-account').innerText()).toBe('South');
        expect(await p.getByTestId('switch-account').allInnerTexts()).toEqual(['North']);
        await p.context().close();
      }
      expect(ui.problems).toEqual([]);
    },
    120_000,
  );
});
