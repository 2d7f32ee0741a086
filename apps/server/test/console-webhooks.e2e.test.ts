// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { useCallbackServer } from './fake-callback-server.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('Webhooks screen in Chromium', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const receiver = useCallbackServer();

  const row = (page: Page) => page.locator('[data-testid=webhooks] tbody tr').first();
  const deliveryIds = () => new Set(receiver.received.map((r) => r.headers['x-switchboard-delivery']));

  it('an admin adds an endpoint, sees its secret once, follows a retried delivery and redelivers it', async () => {
    const page = await ui.signedInPage();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Outgoing webhooks' }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();

    await page.locator('[data-testid=webhook-url]').fill(receiver.url);
    await page.getByLabel('Conversation resolved').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = page.locator('[data-testid=webhook-secret]');
    await expect.poll(() => secret.innerText(), { timeout: 15_000 }).toMatch(/^whsec_/);
    await expect.poll(() => row(page).locator('[data-testid=webhook-state]').textContent()).toBe('On');
    expect(await row(page).innerText()).toContain('New message, Conversation resolved');

    receiver.script.push({ status: 500 });
    await ui.inbound({ externalId: 'ann', name: 'Ann' }, 'Where is my parcel?');
    await row(page).getByRole('button', { name: 'Deliveries' }).click();
    const log = page.locator('[data-testid=webhook-deliveries] tbody tr[data-delivery-id]');
    await expect.poll(() => log.count(), { timeout: 20_000 }).toBe(1);
    // The first answer was 500: the worker tries again after its backoff and the log follows.
    await expect
      .poll(() => log.first().locator('[data-testid=delivery-status]').textContent(), { timeout: 30_000 })
      .toBe('Delivered');
    expect(await log.first().locator('[data-testid=delivery-attempts]').innerText()).toBe('2');
    expect(receiver.received).toHaveLength(2);

    await log.first().getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('[data-testid=delivery-detail]');
    await expect.poll(() => detail.locator('[data-testid=delivery-attempt]').count()).toBe(2);
    expect(await detail.innerText()).toContain('Where is my parcel?');

    await log.first().getByRole('button', { name: 'Redeliver' }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(3);
    expect(deliveryIds().size).toBe(1);
    await expect
      .poll(() => log.first().locator('[data-testid=delivery-attempts]').innerText(), { timeout: 20_000 })
      .toBe('3');
    expect(ui.problems).toEqual([]);
  }, 120_000);

  it('in Russian: a paused endpoint shows why, and the admin resumes it', async () => {
    // Ten refusals in a row pause the endpoint (real deliveries to the receiver answering 404).
    for (let i = 0; i < 10; i++) receiver.script.push({ status: 404 });
    for (let i = 0; i < 10; i++) await ui.inbound({ externalId: `c${i}`, name: `C${i}` }, 'hi');
    const hooks = async () =>
      (
        await ui.admin.call<{ items: { active: boolean; pauseReason: { message: string } | null }[] }>(
          'GET',
          '/api/v1/webhooks',
        )
      ).json.items;
    await expect.poll(async () => (await hooks())[0]?.pauseReason !== null, { timeout: 30_000 }).toBe(true);
    const detail = (await hooks())[0]!.pauseReason!.message;

    const page = await ui.signedInPage({ lang: 'ru' });
    await page.getByRole('link', { name: 'Вебхуки' }).click();
    await page.getByRole('heading', { name: 'Исходящие вебхуки' }).waitFor();
    const state = row(page).locator('[data-testid=webhook-state]');
    // Badges are upper-cased by CSS: the text, not the rendering, is compared.
    await expect.poll(() => state.textContent()).toContain('Приостановлен');
    expect(await state.textContent()).toContain('10 доставок подряд отклонены');
    const main = await page.locator('main').innerText();
    expect(untranslatedWords(main, [receiver.url, detail, 'Switchboard'])).toEqual([]);

    await row(page).getByRole('button', { name: 'Возобновить' }).click();
    await expect.poll(() => state.textContent()).toBe('Включён');
    await ui.inbound({ externalId: 'after', name: 'After' }, 'после возобновления');
    await expect
      .poll(() => receiver.received.some((r) => r.raw.includes('после возобновления')), { timeout: 20_000 })
      .toBe(true);
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
