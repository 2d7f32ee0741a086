import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  type ConsoleServer,
  launchBrowser,
  startConsoleServer,
} from '../../../../test/console-harness.ts';
import { hostPage, runnable, startHostSite } from './widget-browser-kit.ts';

/** What a phone-sized visitor and a visitor waiting for an operator run into (issue 18, items 1–2). */
describe.skipIf(!runnable)('Site widget on a phone, and the center state live', () => {
  let server: ConsoleServer;
  let admin: ApiSession;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let site: { url: string; close(): Promise<void> } | undefined;

  beforeAll(async () => {
    server = await startConsoleServer();
    admin = await server.session(server.admin.email, server.admin.password);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    await site?.close();
    context = undefined;
    site = undefined;
  });

  async function openWidget(name: string, viewport?: { width: number; height: number }) {
    const ch = await admin.call<{ id: string }>('POST', '/api/v1/channels', { type: 'widget', name });
    expect(ch.status).toBe(201);
    site = await startHostSite(() => hostPage(server.url, ch.json.id, 'en'));
    context = await browser.newContext({ locale: 'en-GB', viewport, hasTouch: viewport !== undefined });
    const page: Page = await context.newPage();
    await page.goto(site.url);
    const widget = page.locator('switchboard-chat');
    const launcher = widget.locator('.launcher');
    await launcher.waitFor({ state: 'visible', timeout: 15_000 });
    await launcher.click();
    await widget.locator('.panel').waitFor({ state: 'visible' });
    return { channelId: ch.json.id, page, widget };
  }

  it('at 375 px, tapping Send sends the message and leaves the chat open', async () => {
    const { page, widget } = await openWidget('Phone chat', { width: 375, height: 667 });
    const send = widget.locator('button.send');
    await send.waitFor({ state: 'visible' });
    await widget.locator('textarea').fill('Sent from a phone');
    // Nothing floats over Send: the topmost element at its centre is Send itself.
    const box = (await send.boundingBox())!;
    const topmost = await send.evaluate(
      (b, p) => {
        const hit = (b.getRootNode() as ShadowRoot).elementFromPoint(p.x, p.y);
        return hit === b || b.contains(hit);
      },
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    expect(topmost).toBe(true);
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await widget.locator('.msg.in .bubble', { hasText: 'Sent from a phone' }).waitFor({ timeout: 15_000 });
    expect(await widget.locator('.panel').isVisible()).toBe(true);
    // The header's button still closes the chat.
    await widget.locator('.head .icon-btn').tap();
    await expect.poll(() => widget.locator('.panel').isVisible(), { timeout: 10_000 }).toBe(false);
  });

  it('turns "We are offline" into online when an operator comes online, without a reload', async () => {
    const presence = (availability: string) => admin.call('PATCH', '/api/v1/me', { availability });
    expect((await presence('offline')).status).toBe(200);
    try {
      const { widget } = await openWidget('Live state chat');
      const status = widget.locator('.status');
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Offline');
      expect(await widget.locator('.notice').isVisible()).toBe(true);

      expect((await presence('online')).status).toBe(200);
      // Well before the widget's periodic config refresh (60 s): pushed over its socket.
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Online');
      await expect.poll(() => widget.locator('.notice').isVisible(), { timeout: 10_000 }).toBe(false);

      // An admin forcing the center offline, then back to automatic, reaches the widget the same way.
      const center = (mode: string) => admin.call('POST', '/api/v1/center/status', { mode });
      expect((await center('offline')).status).toBe(200);
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Offline');
      expect((await center('auto')).status).toBe(200);
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Online');

      expect((await presence('offline')).status).toBe(200);
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Offline');
      await expect.poll(() => widget.locator('.notice').isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await admin.call('POST', '/api/v1/center/status', { mode: 'auto' });
      await presence('online');
    }
  });
});
