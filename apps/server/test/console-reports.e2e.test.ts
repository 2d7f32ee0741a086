// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads, which is what these checks are about
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('Reports screen of the console in Chromium', () => {
  const ui = useConsole();
  const shots = screenshotDir();
  const channelName = 'Website chat';
  let adminId = '';

  beforeAll(async () => {
    await ui.createApiChannel(channelName, {});
    adminId = (await ui.admin.call<{ user: { id: string } }>('GET', '/api/v1/me')).json.user.id;
    await ui.inbound({ externalId: 'r-1', name: 'Mila Petrova' }, 'Where is my parcel?');
    await ui.inbound({ externalId: 'r-2', name: 'Oleg Sidorov' }, 'Hello');
    const mila = (await ui.awaitConversations(2)).find((c) => c.contact.name === 'Mila Petrova')!;
    const sent = await ui.admin.call('POST', `/api/v1/conversations/${mila.id}/messages`, {
      text: 'It ships today',
      clientMessageId: 'reports-e2e-1',
    });
    expect(sent.status).toBeLessThan(300);
    const done = await ui.admin.call('PATCH', `/api/v1/conversations/${mila.id}`, {
      assigneeId: adminId,
      status: 'resolved',
    });
    expect(done.status).toBe(200);
  }, 90_000);

  async function openReports(lang: 'en' | 'ru', size: { width: number; height: number }): Promise<Page> {
    const page = await ui.signedInPage({ ...size, lang });
    // On a phone the navigation sits behind the menu button: the address works at any size.
    if (size.width >= 1000) await page.getByTestId('nav-reports').click();
    else await page.goto(`${ui.server.url}/reports`);
    await page.getByTestId('reports-page').waitFor();
    return page;
  }

  it('shows the figures, draws the charts, and opens the conversations behind a row (English)', async () => {
    const page = await openReports('en', { width: 1280, height: 1000 });
    await expect
      .poll(() => page.getByTestId('card-created-value').innerText(), { timeout: 20_000 })
      .toBe('2');
    await expect.poll(() => page.getByTestId('card-resolved-value').innerText()).toBe('1');
    await expect.poll(() => page.getByTestId('card-inbound-value').innerText()).toBe('2');
    // The chart library is loaded on demand and draws on a canvas.
    for (const id of ['chart-over-time', 'chart-heatmap', 'chart-frt', 'chart-resolution']) {
      await expect
        .poll(() => page.getByTestId(id).getAttribute('data-ready'), { timeout: 30_000 })
        .toBe('true');
      await expect.poll(() => page.getByTestId(id).locator('canvas').count()).toBeGreaterThan(0);
    }
    const row = page.getByTestId(`operator-row-${adminId}`);
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('Alice Admin');
    await row.click();
    const items = page.getByTestId('drill-item');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => items.first().innerText()).toContain('Mila Petrova');
    await page.keyboard.press('Escape');
    await page.getByTestId(`channel-row-${ui.channel.id}`).click();
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(2);
    await page.screenshot({ path: join(shots, 'reports-en.png'), fullPage: true });
    expect(ui.problems).toEqual([]);
  }, 120_000);

  it('is readable on a phone in Russian, with no untranslated English', async () => {
    const page = await openReports('ru', { width: 390, height: 844 });
    await expect
      .poll(() => page.getByTestId('card-created-value').innerText(), { timeout: 20_000 })
      .toBe('2');
    await expect
      .poll(() => page.getByTestId('chart-over-time').getAttribute('data-ready'), { timeout: 30_000 })
      .toBe('true');
    await expect
      .poll(() => page.getByTestId('operators-table').innerText(), { timeout: 20_000 })
      .toContain('Alice Admin');
    const data = [
      'Acme Support',
      ui.server.admin.name,
      ui.server.admin.email,
      channelName,
      'Mila Petrova',
      'Oleg Sidorov',
      'XLSX',
      'CSV',
      'AA',
    ];
    const text = await page.locator('body').innerText();
    expect(untranslatedWords(text, data), text).toEqual([]);
    // Nothing wider than the phone: tables scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(shots, 'reports-ru-phone.png'), fullPage: true });
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
