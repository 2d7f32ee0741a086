// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, untranslatedWords, unnamedControls } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

interface Csat {
  enabled: boolean;
  question: { en: string; ru: string };
  windowHours: number;
  defaults: { question: { en: string; ru: string } };
}

/** A channel's satisfaction survey set in Administration › Channels, and the survey it then sends. */
describe.skipIf(!runnable)('Per-channel CSAT settings in Chromium', () => {
  const ui = useConsole({ apiChannel: 'Shop chat' });
  const problems = ui.problems;

  const settings = async () =>
    (await ui.admin.call<Csat>('GET', `/api/v1/channels/${ui.channel.id}/csat`)).json;

  async function openSurvey(lang: 'en' | 'ru'): Promise<Page> {
    const page = await ui.signedInPage({ lang, height: 1100 });
    await page.getByTestId('nav-channels').click();
    await page
      .getByTestId('channel-card')
      .filter({ hasText: 'Shop chat' })
      .getByTestId('channel-csat')
      .click();
    await page.getByTestId('csat-form').waitFor();
    return page;
  }

  it('an admin switches the survey on with their own question and window; resolving sends it', async () => {
    expect(await settings()).toMatchObject({ enabled: false, windowHours: 24 });
    const page = await openSurvey('en');
    await page.getByRole('dialog', { name: 'Satisfaction survey: Shop chat' }).waitFor();
    await page.getByTestId('csat-enabled').check({ force: true });
    const question = 'Did we help? Reply 1 (no) to 5 (perfectly).';
    await page.getByTestId('csat-question-en').fill(question);
    await page.getByTestId('csat-question-ru').fill('Мы помогли? Ответьте от 1 до 5.');
    // An empty question cannot be saved.
    await page.getByTestId('csat-question-ru').fill(' ');
    expect(await page.getByTestId('csat-save').isDisabled()).toBe(true);
    await page.getByTestId('csat-question-ru').fill('Мы помогли? Ответьте от 1 до 5.');
    await page.getByTestId('csat-window').fill('48');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByTestId('csat-save').click();
    await page.getByTestId('csat-form').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await settings()).toMatchObject({
      enabled: true,
      windowHours: 48,
      question: { en: question, ru: 'Мы помогли? Ответьте от 1 до 5.' },
    });

    // Reopening the form shows what was saved.
    await page
      .getByTestId('channel-card')
      .filter({ hasText: 'Shop chat' })
      .getByTestId('channel-csat')
      .click();
    await expect.poll(() => page.getByTestId('csat-window').inputValue(), { timeout: 10_000 }).toBe('48');
    expect(await page.getByTestId('csat-question-en').inputValue()).toBe(question);
    await page.keyboard.press('Escape');

    // The survey goes out with the admin's text when a conversation is resolved.
    await ui.inbound({ externalId: 'c-1', name: 'Vera Lebedeva' }, 'Thanks, all good');
    const list = async () =>
      (await ui.admin.call<{ items: { id: string }[] }>('GET', '/api/v1/conversations')).json.items;
    for (let i = 0; i < 200 && (await list()).length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    const [conv] = await list();
    expect(
      (await ui.admin.call('PATCH', `/api/v1/conversations/${conv!.id}`, { status: 'resolved' })).status,
    ).toBe(200);
    const texts = async () =>
      (
        await ui.admin.call<{ items: { text: string | null }[] }>(
          'GET',
          `/api/v1/conversations/${conv!.id}/messages`,
        )
      ).json.items.map((m) => m.text);
    await expect
      .poll(async () => (await texts()).some((x) => x === question || x?.startsWith('Мы помогли')), {
        timeout: 20_000,
      })
      .toBe(true);
    expect(problems).toEqual([]);
  }, 120_000);

  it('in Russian: the form speaks Russian and "Default text" brings the product text back', async () => {
    const page = await openSurvey('ru');
    await page.getByRole('dialog', { name: 'Опрос об оценке: Shop chat' }).waitFor();
    await page.getByTestId('csat-reset-ru').click();
    const defaults = (await settings()).defaults.question;
    expect(await page.getByTestId('csat-question-ru').inputValue()).toBe(defaults.ru);
    const dialog = await page.getByRole('dialog').innerText();
    expect(untranslatedWords(dialog, ['Shop chat', (await settings()).question.en])).toEqual([]);
    await page.getByTestId('csat-enabled').uncheck({ force: true });
    await page.getByTestId('csat-save').click();
    await page.getByTestId('csat-form').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await settings()).toMatchObject({
      enabled: false,
      question: { ru: defaults.ru },
      windowHours: 48,
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
