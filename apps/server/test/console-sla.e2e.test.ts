// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, untranslatedWords, unnamedControls } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

interface Policy {
  id: string;
  name: string;
  position: number;
  firstResponseSeconds: number | null;
  nextResponseSeconds: number | null;
  resolutionSeconds: number | null;
  businessHours: boolean;
  active: boolean;
  appliesTo: { channelIds?: string[]; teamIds?: string[]; labels?: string[] };
}

/** Administration › SLA policies: create, edit, order and delete policies with the form, in both languages. */
describe.skipIf(!runnable)('SLA policies screen in Chromium', () => {
  const ui = useConsole();
  let shop: string;
  let team: string;

  beforeAll(async () => {
    shop = (await ui.createApiChannel('Shop')).id;
    const tm = await ui.admin.call<{ id: string }>('POST', '/api/v1/teams', { name: 'Billing' });
    expect(tm.status).toBe(201);
    team = tm.json.id;
  });

  const policies = async () =>
    (await ui.admin.call<{ items: Policy[] }>('GET', '/api/v1/sla-policies')).json.items;

  async function open(lang: 'en' | 'ru'): Promise<Page> {
    const page = await ui.signedInPage({ lang, height: 1200 });
    await page.getByTestId('nav-sla').click();
    await page.getByTestId('sla-page').waitFor();
    return page;
  }

  async function pick(page: Page, testId: string, option: string) {
    await page.getByTestId(testId).click({ force: true });
    await page.getByRole('option', { name: option, exact: true }).click();
    await page.keyboard.press('Escape');
  }

  it('an admin creates two policies, reorders, edits and deletes them', async () => {
    const page = await open('en');
    await page.getByRole('heading', { name: 'SLA policies' }).waitFor();
    await page.getByText('No SLA policies yet.').waitFor();

    // Nothing to promise yet: the form says so instead of sending.
    await page.getByTestId('sla-name').fill('Gold');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-problem').innerText()).toBe('Set at least one target.');

    await page.getByTestId('sla-firstResponse-amount').fill('15');
    await page.getByTestId('sla-resolution-amount').fill('2');
    await pick(page, 'sla-resolution-unit', 'days');
    await page.getByTestId('sla-business-hours').check({ force: true });
    await pick(page, 'sla-channels', 'Shop');
    await pick(page, 'sla-teams', 'Billing');
    await page.getByTestId('sla-labels').fill('vip');
    await page.keyboard.press('Enter');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await policies()).toMatchObject([
      {
        name: 'Gold',
        firstResponseSeconds: 900,
        nextResponseSeconds: null,
        resolutionSeconds: 172_800,
        businessHours: true,
        active: true,
        appliesTo: { channelIds: [shop], teamIds: [team], labels: ['vip'] },
      },
    ]);
    const row = page.getByTestId('sla-row').first();
    expect(await row.getByTestId('sla-row-targets').innerText()).toContain('First response within 15 min');
    expect(await row.getByTestId('sla-row-targets').innerText()).toContain('Resolution within 2 d');
    expect(await row.getByTestId('sla-row-scope').innerText()).toBe(
      'Channels: Shop; Teams: Billing; Labels: vip',
    );
    // The form is empty again for the next policy.
    expect(await page.getByTestId('sla-name').inputValue()).toBe('');

    await page.getByTestId('sla-name').fill('Everyone');
    await page.getByTestId('sla-nextResponse-amount').fill('1');
    await pick(page, 'sla-nextResponse-unit', 'hours');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-row').count(), { timeout: 15_000 }).toBe(2);
    const names = () => page.getByTestId('sla-row-name').allInnerTexts();
    expect(await names()).toEqual(['Gold', 'Everyone']);
    expect(await page.getByTestId('sla-row').nth(1).getByTestId('sla-row-scope').innerText()).toBe(
      'Every conversation',
    );

    // Order decides which policy a conversation follows.
    await page.getByRole('button', { name: 'Move up: Everyone' }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Everyone', 'Gold']);
    expect((await policies()).map((p) => p.name)).toEqual(['Everyone', 'Gold']);

    // Edit: the form carries the policy; the change is saved with PATCH.
    await page.getByTestId('sla-row').nth(1).getByTestId('sla-edit').click();
    await page.getByText('Editing “Gold”').waitFor();
    expect(await page.getByTestId('sla-firstResponse-amount').inputValue()).toBe('15');
    await page.getByTestId('sla-firstResponse-amount').fill('30');
    await page.getByTestId('sla-active').uncheck({ force: true });
    await page.getByTestId('sla-save').click();
    await page.getByText('Editing “Gold”').waitFor({ state: 'detached', timeout: 15_000 });
    await expect
      .poll(async () => (await policies()).find((p) => p.name === 'Gold'), { timeout: 15_000 })
      .toMatchObject({ firstResponseSeconds: 1800, active: false, resolutionSeconds: 172_800 });
    await expect
      .poll(() => page.getByTestId('sla-row').nth(1).getByTestId('sla-row-state').textContent())
      .toBe('Off');

    // Delete asks once more.
    await page.getByTestId('sla-row').nth(0).getByTestId('sla-delete').click();
    await page.getByRole('button', { name: 'Really delete?' }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Gold']);
    expect((await policies()).map((p) => p.name)).toEqual(['Gold']);
    expect(await unnamedControls(page)).toEqual([]);
    expect(ui.problems).toEqual([]);
  }, 120_000);

  it('in Russian: every text is Russian and a policy is created with the form', async () => {
    const page = await open('ru');
    await page.getByRole('heading', { name: 'Сроки ответа' }).waitFor();
    const before = (await policies()).length;
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-problem').innerText()).toBe('Дайте правилу название.');
    await page.getByTestId('sla-name').fill('Срочные');
    await page.getByTestId('sla-firstResponse-amount').fill('2');
    await pick(page, 'sla-firstResponse-unit', 'часов');
    await pick(page, 'sla-channels', 'Shop');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-row').count(), { timeout: 15_000 }).toBe(before + 1);
    const created = (await policies()).find((p) => p.name === 'Срочные');
    expect(created).toMatchObject({ firstResponseSeconds: 7200, appliesTo: { channelIds: [shop] } });
    const main = await page.locator('main').innerText();
    expect(main).toContain('Первый ответ в течение 2 ч');
    expect(untranslatedWords(main, ['Shop', 'Billing', 'Gold', 'Everyone', 'vip'])).toEqual([]);
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
