// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads, which is what these checks are about
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  type ConsoleServer,
  consoleSuiteRunnable,
  launchBrowser,
  newOperatorContext,
  postInbound,
  signIn,
  startConsoleServer,
  watchPage,
} from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/** The CSAT card and trend of the Reports screen, and the drill-down to the customers rated below 4. */
describe.skipIf(!runnable)('CSAT on the Reports screen in Chromium', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: ApiSession;
  const problems: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    api = await server.session(server.admin.email, server.admin.password);
    const created = await api.call<{ id: string; connection: { secret: string } }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'api',
        name: 'Shop chat',
        settings: {},
      },
    );
    expect(created.status).toBe(201);
    const channel = { id: created.json.id, secret: created.json.connection.secret, name: 'Shop chat' };
    expect((await api.call('PATCH', `/api/v1/channels/${channel.id}/csat`, { enabled: true })).status).toBe(
      200,
    );
    await postInbound(server, channel, { externalId: 'c-1', name: 'Vera Lebedeva' }, 'The box was wet');
    const list = async () =>
      (await api.call<{ items: { id: string }[] }>('GET', '/api/v1/conversations')).json.items;
    for (let i = 0; i < 200 && (await list()).length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    const [conv] = await list();
    expect(
      (await api.call('PATCH', `/api/v1/conversations/${conv!.id}`, { status: 'resolved' })).status,
    ).toBe(200);
    const count = async () =>
      (await api.call<{ items: unknown[] }>('GET', `/api/v1/conversations/${conv!.id}/messages`)).json.items
        .length;
    for (let i = 0; i < 200 && (await count()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await postInbound(server, channel, { externalId: 'c-1', name: 'Vera Lebedeva' }, '2');
    const rated = async () =>
      (await api.call<{ csat: unknown }>('GET', `/api/v1/conversations/${conv!.id}`)).json.csat;
    for (let i = 0; i < 200 && !(await rated()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await rated()).toMatchObject({ rating: 2 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openReports(lang: 'en' | 'ru'): Promise<Page> {
    const ctx = await newOperatorContext(browser, { width: 1280, height: 1000, lang });
    const page = watchPage(await ctx.newPage(), problems);
    await signIn(page, server.url, server.admin.email, server.admin.password);
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('reports-page').waitFor();
    return page;
  }

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
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
