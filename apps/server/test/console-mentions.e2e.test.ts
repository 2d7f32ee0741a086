// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsole, waitUntil } from './console-fixture.ts';
import { consoleSuiteRunnable, untranslatedWords, unnamedControls } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/** Reports › Who mentioned: a word in any of its forms, the chart by day, the customers and their CSV. */
describe.skipIf(!runnable)('Who mentioned… in Chromium', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const problems = ui.problems;

  beforeAll(async () => {
    await ui.inbound({ externalId: 'ivan', name: 'Ivan Petrov' }, 'Где мой заказ?');
    await ui.inbound({ externalId: 'ivan', name: 'Ivan Petrov' }, 'Заказ 1234 так и не пришёл');
    await ui.inbound({ externalId: 'olga', name: 'Olga Smirnova' }, 'Хочу отменить заказы');
    await ui.inbound({ externalId: 'peter', name: 'Peter Brown' }, 'Hello, do you deliver?');
    const found = async () =>
      (
        await ui.admin.call<{ totals: { messages: number } }>(
          'GET',
          `/api/v1/search/mentions?q=${encodeURIComponent('заказ')}`,
        )
      ).json.totals.messages;
    await waitUntil(async () => (await found()) >= 3, 'three mentions found');
    expect(await found()).toBe(3);
  }, 90_000);

  async function open(lang: 'en' | 'ru'): Promise<Page> {
    const page = await ui.signedInPage({ width: 1280, height: 1200, lang });
    await page.goto(`${ui.server.url}/reports`);
    await page.getByTestId('open-mentions').click();
    await page.getByTestId('mentions-page').waitFor();
    return page;
  }

  it.each([
    ['en', '3 messages in 2 conversations from 2 customers', 'Download customers (CSV)'],
    ['ru', 'Сообщений: 3, разговоров: 2, клиентов: 2', 'Скачать клиентов (CSV)'],
  ] as const)(
    '%s: a word shows its mentions by day and the customers, with the CSV',
    async (lang, totals, csv) => {
      const page = await open(lang);
      await page.getByTestId('mentions-query').fill('заказ');
      await expect
        .poll(() => page.getByTestId('mentions-totals').innerText(), { timeout: 20_000 })
        .toBe(totals);
      const rows = page.getByTestId('mentions-customer');
      await expect.poll(() => rows.count()).toBe(2);
      // Most mentions first: Ivan wrote it twice.
      expect((await rows.nth(0).innerText()).split('\t').slice(0, 4)).toEqual(['Ivan Petrov', '—', '2', '1']);
      expect((await rows.nth(1).innerText()).split('\t').slice(0, 4)).toEqual([
        'Olga Smirnova',
        '—',
        '1',
        '1',
      ]);
      await expect
        .poll(() => page.getByTestId('chart-mentions').getAttribute('data-ready'), { timeout: 30_000 })
        .toBe('true');
      const link = page.getByTestId('mentions-export');
      expect(await link.innerText()).toBe(csv);
      const href = (await link.getAttribute('href'))!;
      // The browser's own session downloads it.
      const text = await page.evaluate(async (h) => (await fetch(h)).text(), href);
      const lines = text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain('Ivan Petrov');

      // A word nobody wrote: no customers, said so.
      await page.getByTestId('mentions-query').fill('возврат');
      await expect
        .poll(() => page.locator('main').innerText(), { timeout: 20_000 })
        .toContain(
          lang === 'en' ? 'Nobody mentioned it in this period.' : 'За этот период никто этого не упоминал.',
        );
      expect(await unnamedControls(page)).toEqual([]);
      if (lang === 'ru')
        expect(
          untranslatedWords(await page.locator('main').innerText(), ['CSV', 'Shop', 'UTC', 'Europe/Berlin']),
        ).toEqual([]);
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
