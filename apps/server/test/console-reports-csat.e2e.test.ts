// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads, which is what these checks are about
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole, waitUntil } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/** The CSAT card and trend of the Reports screen, and the drill-down to the customers rated below 4. */
describe.skipIf(!runnable)('CSAT on the Reports screen in Chromium', () => {
  const ui = useConsole();

  beforeAll(async () => {
    const channel = await ui.createApiChannel('Shop chat', {});
    expect(
      (await ui.admin.call('PATCH', `/api/v1/channels/${channel.id}/csat`, { enabled: true })).status,
    ).toBe(200);
    const customer = { externalId: 'c-1', name: 'Vera Lebedeva' };
    await ui.inbound(customer, 'The box was wet');
    const [conv] = await ui.awaitConversations(1);
    expect(
      (await ui.admin.call('PATCH', `/api/v1/conversations/${conv!.id}`, { status: 'resolved' })).status,
    ).toBe(200);
    const count = async () =>
      (await ui.admin.call<{ items: unknown[] }>('GET', `/api/v1/conversations/${conv!.id}/messages`)).json
        .items.length;
    await waitUntil(async () => (await count()) >= 2, 'the CSAT question');
    await ui.inbound(customer, '2');
    const rated = async () =>
      (await ui.admin.call<{ csat: unknown }>('GET', `/api/v1/conversations/${conv!.id}`)).json.csat;
    await waitUntil(async () => Boolean(await rated()), 'the rating');
    expect(await rated()).toMatchObject({ rating: 2 });
  }, 90_000);

  const openReports = async (lang: 'en' | 'ru') => {
    const page = await ui.open('/reports', { width: 1280, height: 1000, lang });
    await page.getByTestId('reports-page').waitFor();
    return page;
  };

  it.each([
    ['en', '2 / 5', 'Customer rating (CSAT) over time'],
    ['ru', '2 из 5', 'Оценка клиентов по времени'],
  ] as const)(
    '%s: the CSAT card and trend, and the card opens the customers rated below 4',
    async (lang, value, chart) => {
      const page = await openReports(lang);
      await expect
        .poll(() => page.getByTestId('card-csat-value').innerText(), { timeout: 20_000 })
        .toBe(value);
      await expect
        .poll(() => page.getByTestId('chart-csat').getAttribute('data-ready'), { timeout: 30_000 })
        .toBe('true');
      expect(await page.locator('body').innerText()).toContain(chart);
      await page.getByTestId('card-csat').click();
      const items = page.getByTestId('drill-item');
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => items.first().innerText()).toContain('Vera Lebedeva');
      expect(ui.problems).toEqual([]);
    },
    120_000,
  );
});
