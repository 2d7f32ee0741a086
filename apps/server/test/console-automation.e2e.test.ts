// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
vi.setConfig({ testTimeout: 90_000 });

interface Rule {
  id: string;
  name: string;
  event: string;
  match: string;
  conditions: unknown[];
  actions: unknown[];
  delayMinutes: number | null;
  enabled: boolean;
}

describe.skipIf(!runnable)('Automation rules screen in Chromium (English and Russian)', () => {
  const ui = useConsole({ apiChannel: 'Web shop' });
  let page: Page;

  beforeAll(async () => {
    page = await ui.signedInPage({ height: 1100 });
  });

  const select = async (testId: string, option: string) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const rules = async () =>
    (await ui.admin.call<{ items: Rule[] }>('GET', '/api/v1/automation-rules')).json.items;

  it('builds the Refunds rule with the form (no JSON); the API has exactly that rule', async () => {
    await page.getByTestId('nav-automation').click();
    await page.getByTestId('automation-page').waitFor();
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-name').fill('Refunds');
    await page.getByTestId('add-condition').click();
    const words = page.getByTestId('cond-0-values');
    await words.fill('возврат');
    await words.press('Enter');
    await words.fill('refund');
    await words.press('Enter');
    await page.getByTestId('action-0-label').fill('refund');
    await page.getByTestId('add-action').click();
    await select('action-1-type', 'Set priority');
    await select('action-1-priority', 'High');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-card').first().waitFor();
    await expect.poll(async () => (await rules()).length).toBe(1);
    expect((await rules())[0]).toMatchObject({
      name: 'Refunds',
      event: 'message.created',
      match: 'all',
      conditions: [{ field: 'message.text', op: 'contains_any', value: ['возврат', 'refund'] }],
      actions: [
        { type: 'add_label', label: 'refund' },
        { type: 'set_priority', priority: 'high' },
      ],
      enabled: true,
    });
  });

  it('a customer writing "хочу возврат" gets the label and priority; the run shows under the rule', async () => {
    await ui.inbound({ externalId: 'c-1', name: 'Olga' }, 'Здравствуйте, хочу возврата денег');
    await expect
      .poll(async () => (await ui.conversations('?limit=5'))[0], { timeout: 15_000 })
      .toMatchObject({ labels: ['refund'], priority: 'high' });
    await page.getByTestId('rule-runs-open').click();
    await expect
      .poll(() => page.getByTestId('rule-run-outcome').first().textContent(), { timeout: 10_000 })
      .toBe('Applied');
    await page.keyboard.press('Escape');
  });

  it('shows a bad rule’s refusal from the server instead of saving it', async () => {
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-name').fill('Broken');
    await page.getByTestId('add-condition').click();
    await select('cond-0-op', 'matches the regular expression');
    await page.getByTestId('cond-0-text').fill('([a-');
    await page.getByTestId('action-0-label').fill('x');
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByTestId('rule-form').innerText()).toMatch(/regular expression/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await rules()).map((r) => r.name)).toEqual(['Refunds']);
  });

  it('in Russian: builds a time-based rule, switches a rule off; no English left on the screen', async () => {
    await page.locator('header label', { hasText: 'Русский' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ru');
    const data = ['Acme Support', ui.server.admin.name, ui.server.admin.email, 'Refunds', 'AA', 'Web shop'];
    const check = async (what: string) => {
      const text = await page.locator('body').innerText();
      expect(untranslatedWords(text, data), `${what}:\n${text}`).toEqual([]);
    };
    await check('list');
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-name').fill('Тишина три дня');
    await select('rule-event', 'Клиент не отвечает');
    await page.getByTestId('rule-delay').fill('3');
    await select('rule-delay-unit', 'дней');
    await page.getByTestId('add-condition').click();
    await select('cond-0-field', 'Рабочее время сейчас');
    await select('cond-0-word', 'идёт');
    await select('action-0-type', 'Сменить статус');
    await select('action-0-status', 'Решён');
    await check('form');
    await page.getByTestId('rule-save').click();
    await expect.poll(async () => (await rules()).length).toBe(2);
    expect((await rules())[1]).toMatchObject({
      name: 'Тишина три дня',
      event: 'conversation.no_customer_reply',
      delayMinutes: 4320,
      conditions: [{ field: 'business_hours', op: 'is', value: 'open' }],
      actions: [{ type: 'set_status', status: 'resolved' }],
    });
    await page.getByTestId('rule-enabled').first().click({ force: true });
    await expect.poll(async () => (await rules())[0]!.enabled).toBe(false);
    await check('list with two rules');
    await page.getByTestId('rule-runs-open').first().click();
    await expect.poll(() => page.getByTestId('rule-run-outcome').first().textContent()).toBe('Выполнено');
    await check('runs');
    expect(ui.problems).toEqual([]);
  });
});
