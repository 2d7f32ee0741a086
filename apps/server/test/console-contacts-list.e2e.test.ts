// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, screenshotDir } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * The contacts list in a real browser: filters (an attribute here), the filter saved as a segment,
 * a bulk label on the selected page, bulk erasure behind a warning, and an export of what the filter
 * matches. English and Russian.
 */
describe.skipIf(!runnable)('Console: contacts list (filters, segments, bulk actions, export)', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();

  beforeAll(async () => {
    const def = await ui.admin.call('POST', '/api/v1/attribute-definitions', {
      entity: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'text',
    });
    expect(def.status).toBe(201);
    const imported = await ui.admin.call('POST', '/api/v1/contacts/import', {
      source: 'e2e',
      channelId: ui.channel.id,
      contacts: [
        { name: 'Ada Gold', externalId: 'ada', labels: ['VIP'] },
        { name: 'Bo Gold', externalId: 'bo' },
        { name: 'Cy Plain', externalId: 'cy' },
      ],
    });
    expect(imported.status).toBe(200);
    type List = { items: { id: string; name: string }[] };
    const list = (await ui.admin.call<List>('GET', '/api/v1/contacts?limit=50')).json.items;
    for (const c of list.filter((x) => x.name.endsWith('Gold')))
      expect(
        (await ui.admin.call('PATCH', `/api/v1/contacts/${c.id}`, { attributes: { tier: 'gold' } })).status,
      ).toBe(200);
  });

  const names = async (page: Page) => (await page.getByTestId('contact-name').allInnerTexts()).sort();
  /** The bulk action's result line, empty until it is shown. */
  const bulkResult = (page: Page) =>
    page
      .getByTestId('contacts-bulk-result')
      .innerText()
      .catch(() => '');
  const rowsAre = async (page: Page, expected: string[]) => {
    await expect.poll(() => names(page), { timeout: 10_000 }).toEqual(expected);
  };
  const filterByTier = async (page: Page, attribute: string, value: string) => {
    await page.getByTestId('contacts-filter-attribute').click();
    await page.getByRole('option', { name: attribute, exact: true }).click();
    await page.getByTestId('contacts-filter-attribute-value').fill(value);
    await page.getByTestId('contacts-filter-attribute-value').press('Enter');
  };

  it('filters, saves a segment, labels the page in bulk and exports what matches (English)', {
    timeout: 120_000,
  }, async () => {
    const page = await ui.open('/contacts', { width: 1400, height: 900 });
    await rowsAre(page, ['Ada Gold', 'Bo Gold', 'Cy Plain']);
    await filterByTier(page, 'Tier', 'gold');
    await rowsAre(page, ['Ada Gold', 'Bo Gold']);

    await page.getByTestId('contacts-segment-save').click();
    await page.getByTestId('contacts-segment-name').fill('Gold tier');
    await page.getByTestId('contacts-segment-submit').click();
    expect(await page.getByTestId('contacts-segment-saved').innerText()).toBe(
      'Segment "Gold tier" saved: 2 contacts',
    );
    type Segs = { items: { name: string; filter: unknown }[] };
    expect((await ui.admin.call<Segs>('GET', '/api/v1/segments')).json.items).toEqual([
      expect.objectContaining({ name: 'Gold tier', filter: { attribute: 'tier:gold' } }),
    ]);

    await page.getByTestId('contacts-select-all').check();
    expect(await page.getByTestId('contacts-bulk-count').innerText()).toBe('Selected: 2');
    await page.getByTestId('contacts-bulk-label').fill('spring');
    await page.getByTestId('contacts-bulk-add').click();
    await expect.poll(() => bulkResult(page)).toBe('Changed: 2, already so: 0');
    await expect
      .poll(
        async () =>
          (await page.getByTestId('contact-row').allInnerTexts()).filter((r) => r.includes('spring')).length,
      )
      .toBe(2);
    type List = { items: { name: string }[] };
    const labelled = (await ui.admin.call<List>('GET', '/api/v1/contacts?label=spring')).json.items;
    expect(labelled.map((c) => c.name).sort()).toEqual(['Ada Gold', 'Bo Gold']);

    await page.getByTestId('contacts-export').click();
    const link = page.getByTestId('contacts-export-download');
    await link.waitFor({ timeout: 30_000 });
    expect(await link.innerText()).toBe('Download (2 contacts)');
    await page.screenshot({ path: join(shots, 'contacts-list.png') });

    // Erasure says it cannot be undone before it happens.
    await page.getByTestId('contacts-filter-clear').click();
    await rowsAre(page, ['Ada Gold', 'Bo Gold', 'Cy Plain']);
    await page.getByRole('checkbox', { name: 'Select Cy Plain' }).check();
    await page.getByTestId('contacts-bulk-delete').click();
    expect(await page.getByTestId('contacts-bulk-warning').innerText()).toContain('This is irreversible.');
    await page.getByTestId('contacts-bulk-confirm').click();
    await rowsAre(page, ['Ada Gold', 'Bo Gold']);
    expect(ui.problems).toEqual([]);
  });

  it('opens the saved segment and works in Russian', { timeout: 120_000 }, async () => {
    const page = await ui.open('/contacts', { width: 1400, height: 900, lang: 'ru' });
    await rowsAre(page, ['Ada Gold', 'Bo Gold']);
    await page.getByTestId('contacts-segment').click();
    await page.getByRole('option', { name: 'Gold tier', exact: true }).click();
    await rowsAre(page, ['Ada Gold', 'Bo Gold']);
    expect(await page.getByTestId('contacts-filter-attribute').inputValue()).toBe('Tier');
    expect(await page.getByTestId('contacts-filters').innerText()).toContain('Согласие');

    await page.getByRole('checkbox', { name: 'Выбрать: Ada Gold' }).check();
    expect(await page.getByTestId('contacts-bulk-count').innerText()).toBe('Выбрано: 1');
    await page.getByTestId('contacts-bulk-label').fill('spring');
    await page.getByTestId('contacts-bulk-remove').click();
    await expect.poll(() => bulkResult(page)).toBe('Изменено: 1, без изменений: 0');
    await page.getByTestId('contacts-bulk-delete').click();
    expect(await page.getByTestId('contacts-bulk-warning').innerText()).toContain('Это необратимо.');
    await page.keyboard.press('Escape');

    await page.getByTestId('contacts-export').click();
    const link = page.getByTestId('contacts-export-download');
    await link.waitFor({ timeout: 30_000 });
    expect(await link.innerText()).toBe('Скачать (контактов: 2)');
    await page.screenshot({ path: join(shots, 'contacts-list-ru.png') });
    expect(ui.problems).toEqual([]);
  });
});
