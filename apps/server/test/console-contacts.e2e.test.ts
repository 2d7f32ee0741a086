// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  screenshotDir,
  signIn,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

const CSV =
  '\uFEFFИмя;Телефон;E-mail;externalId;Метки\r\n' +
  'Иван Петров;+7 900 000-00-01;ivan@example.com;crm-1;VIP|Опт\r\n' +
  'Мария Соколова;;maria@example.com;crm-2;Опт\r\n' +
  'Ada Lovelace;;ada@example.com;cust-ada;VIP\r\n' +
  'Bad Row;;not-an-email;crm-4;\r\n';

/**
 * The Contacts screen in real browsers: a supervisor imports a CSV through the dialog (preview, source,
 * opt-in, the result with a skipped row), an operator's open list follows live, search narrows it, a
 * click opens the customer's conversation; Russian at 390 px.
 */
describe.skipIf(!runnable)('Console contacts: list, search, CSV import', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  let alice: Page;
  let bob: Page;
  const shots = screenshotDir();
  const bobUser = { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob Operator' };

  const rows = (p: Page) => p.getByTestId('contact-row');
  const names = async (p: Page) => (await p.getByTestId('contact-name').allInnerTexts()).sort();

  beforeAll(async () => {
    expect((await ui.admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' })).status).toBe(201);
    await ui.inbound({ externalId: 'cust-ada', name: 'Ada' }, 'Hello from Ada');
    alice = await ui.page();
    bob = await ui.page();
    await signIn(alice, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await signIn(bob, ui.server.url, bobUser.email, bobUser.password);
  }, 60_000);

  it('imports a CSV through the dialog; the result lists the skipped row; lists update live', {
    timeout: 60_000,
  }, async () => {
    await bob.getByTestId('nav-contacts').click();
    await expect.poll(() => names(bob)).toEqual(['Ada']);
    // Operators see the list but cannot import.
    expect(await bob.getByTestId('contacts-import-open').count()).toBe(0);

    await alice.getByTestId('nav-contacts').click();
    await expect.poll(() => names(alice)).toEqual(['Ada']);
    await alice.getByTestId('contacts-import-open').click();
    const dialog = alice.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'crm.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    const preview = dialog.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.locator('th').allInnerTexts()).toEqual([
      'Имя',
      'Телефон',
      'E-mail',
      'externalId',
      'Метки',
    ]);
    expect(await preview.locator('tbody tr').first().innerText()).toContain('Иван Петров');
    expect(await dialog.getByTestId('import-row-count').innerText()).toBe('Rows in the file: 4');
    // Nothing is sent until the source is given; the channel is preselected.
    expect(await dialog.getByTestId('import-submit').isDisabled()).toBe(true);
    expect(await dialog.getByLabel('Channel', { exact: false }).first().inputValue()).toBe('Shop');
    await dialog.getByLabel('Source', { exact: false }).first().fill('CRM export 2026-11');
    await dialog.getByRole('checkbox', { name: /agreed to receive messages/ }).check();
    await alice.screenshot({ path: join(shots, 'contacts-import.png') });
    await dialog.getByTestId('import-submit').click();

    const result = dialog.getByTestId('import-result');
    await result.waitFor();
    expect(await dialog.getByTestId('import-created').innerText()).toBe('New: 2');
    expect(await dialog.getByTestId('import-updated').innerText()).toBe('Updated: 1');
    expect(await dialog.getByTestId('import-skipped').innerText()).toBe('Skipped: 1');
    expect(await dialog.getByTestId('import-errors').innerText()).toBe(
      'Row 5: e-mail: “not-an-email” is not an e-mail address',
    );
    // Every skipped row is downloadable as a file.
    const href = await dialog.getByTestId('import-errors-download').getAttribute('href');
    const file = await alice.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(file.replace(/^\uFEFF/, '').split('\r\n')[1]).toBe(
      '5,error,"email: ""not-an-email"" is not an e-mail address"',
    );
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    const all = ['Ada Lovelace', 'Иван Петров', 'Мария Соколова'].sort();
    await expect.poll(() => names(alice)).toEqual(all);
    // Bob's open list follows the import's contact events, without a reload.
    await expect.poll(() => names(bob), { timeout: 10_000 }).toEqual(all);
    const ivan = rows(alice).filter({ hasText: 'Иван Петров' });
    expect(await ivan.innerText()).toContain('+7 900 000-00-01');
    expect(await ivan.innerText()).toContain('VIP');
    expect(await ivan.getByTestId('contact-consent-cell').innerText()).toBe(
      'Opted in: API (your own system)',
    );

    // The API agrees: the opt-in is on record with its source.
    const list = await ui.admin.call<{ items: { id: string; name: string }[] }>(
      'GET',
      '/api/v1/contacts?q=ivan',
    );
    const consent = await ui.admin.call<{ items: { optInVia: string; optInSource: string }[] }>(
      'GET',
      `/api/v1/contacts/${list.json.items[0]!.id}/consent`,
    );
    expect(consent.json.items[0]).toMatchObject({ optInVia: 'import', optInSource: 'CRM export 2026-11' });
  });

  it('searches and filters by label; a click opens the conversation, or the details when there is none', async () => {
    await alice.getByTestId('contacts-search').fill('соколова');
    await expect.poll(() => names(alice)).toEqual(['Мария Соколова']);
    expect(alice.url()).toContain('/contacts?q=');
    await alice.getByTestId('contacts-search').fill('');
    await expect.poll(() => names(alice)).toHaveLength(3);

    await alice.getByTestId('contacts-label').click();
    await alice.getByRole('option', { name: 'VIP' }).click();
    await expect.poll(() => names(alice)).toEqual(['Ada Lovelace', 'Иван Петров'].sort());

    await rows(alice).filter({ hasText: 'Иван Петров' }).getByTestId('contact-name').click();
    const detail = alice.getByRole('dialog');
    await detail.getByText('No conversation with this contact yet.').waitFor();
    expect(await detail.innerText()).toContain('crm-1');
    await alice.keyboard.press('Escape');

    await rows(alice).filter({ hasText: 'Ada Lovelace' }).getByTestId('contact-name').click();
    await alice.waitForURL(/\/inbox\//);
    await alice.getByText('Hello from Ada').first().waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('works in Russian at 390 px wide', async () => {
    const ctx = await newOperatorContext(ui.browser, { width: 390, height: 800, lang: 'ru' });
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/contacts`);
    await page.getByRole('heading', { name: 'Контакты' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await rows(page).filter({ hasText: 'Иван Петров' }).innerText()).toContain(
      'Подписан на сообщения: API',
    );
    await page.screenshot({ path: join(shots, 'contacts-mobile-ru.png') });
    await page.getByTestId('contacts-import-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Источник', { exact: false }).first().waitFor();
    expect(await dialog.innerText()).toContain('Импорт контактов');

    // An Excel workbook whose columns the import cannot guess: mapped by hand, then imported as a job.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Клиенты');
    ws.addRow(['Клиент', 'Код', 'Уровень']);
    ws.addRow(['Олег', 'xl-1', 'золото']);
    ws.addRow(['Нина', 'xl-2', 'серебро']);
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'clients.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    const preview = dialog.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.locator('th').allInnerTexts()).toEqual(['Клиент', 'Код', 'Уровень']);
    const map = async (header: string, option: string) => {
      await dialog.getByLabel(`Читать как: ${header}`, { exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await map('Клиент', 'имя');
    await map('Код', 'адрес в канале');
    await dialog.getByLabel('Источник', { exact: false }).first().fill('Выгрузка');
    await page.screenshot({ path: join(shots, 'contacts-import-mapping-ru.png') });
    await dialog.getByTestId('import-submit').click();
    await dialog.getByTestId('import-result').waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('import-created').innerText()).toBe('Новых: 2');
    expect(await dialog.getByTestId('import-result').innerText()).toContain(
      'Не использованы столбцы: Уровень',
    );
    await dialog.getByRole('button', { name: 'Закрыть' }).last().click();
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });
});
