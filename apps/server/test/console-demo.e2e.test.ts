import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../src/sandbox/demo.ts';
import {
  consoleSuiteRunnable,
  launchBrowser,
  newOperatorContext,
  screenshotDir,
  watchPage,
} from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * `npm run demo` as a newcomer meets it (issue 18): the printed console address opens on the waiting
 * conversations, two customers under their own names, the first with a real photo.
 */
describe.skipIf(!runnable)('Demo in the console (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([
      startDemo({ port: 0, phonePort: 0, logLevel: 'silent' }),
      launchBrowser(),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    expect(problems).toEqual([]);
  });

  for (const lang of ['en', 'ru'] as const)
    it(`the printed address shows the two waiting customers, Anna's photo a real picture (${lang})`, async () => {
      const context = await newOperatorContext(browser, { width: 1440, height: 900, lang });
      const page = watchPage(await context.newPage(), problems);
      // Signing in at the printed address, as a newcomer does, lands on that view.
      await page.goto(demo.waitingUrl);
      await page.locator('input[type=email]').fill(demo.login.email);
      await page.locator('input[type=password]').fill(demo.login.password);
      await page.locator('form button[type=submit]').click();
      const rows = page.getByTestId('conversation-row');
      await rows.filter({ hasText: 'Anna Petrova' }).waitFor();
      await rows.filter({ hasText: 'Carlos Mendes' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/inbox/unassigned');
      await rows.filter({ hasText: 'Anna Petrova' }).click();
      const img = page.locator('img.sb-attachment-img').first();
      await img.waitFor();
      await expect
        .poll(() => img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]))
        .toEqual([640, 480]);
      if (lang === 'en') await page.screenshot({ path: join(screenshotDir(), 'demo-waiting.png') });
      await context.close();
    }, 90_000);
});
