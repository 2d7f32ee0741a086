// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, screenshotDir } from './console-harness.ts';

const runnable = consoleSuiteRunnable();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * The Templates screen in real browsers: a template written with a variable from the picker and its live
 * preview, a file attached, used with "/" in a conversation (its file goes out with the reply), and the
 * list exported to CSV and imported back (a bad row is shown and nothing is written). English and Russian.
 */
describe.skipIf(!runnable)('Console: templates screen', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();

  async function conversationOf(name: string): Promise<string> {
    type Convs = { items: { id: string; contact: { name: string | null } }[] };
    for (let i = 0; i < 100; i++) {
      const r = await ui.admin.call<Convs>('GET', '/api/v1/conversations');
      const c = r.json.items.find((x) => x.contact.name === name);
      if (c) return c.id;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`no conversation of ${name}`);
  }

  async function pickFile(
    page: Page,
    button: string,
    file: { name: string; mimeType: string; buffer: Buffer },
  ) {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(button).click()]);
    await chooser.setFiles(file);
  }

  /** Fills the form of a new template; the variable comes from the picker, at the caret. */
  async function writeTemplate(
    page: Page,
    t: { name: string; shortcut: string; before: string; variable: string; after: string },
  ) {
    await page.getByTestId('templates-new').click();
    const form = page.getByRole('dialog');
    await form.getByTestId('template-name').fill(t.name);
    await form.getByTestId('template-shortcut').fill(t.shortcut);
    const text = form.getByTestId('template-text');
    await text.fill(t.before);
    await form.getByTestId('template-variable-picker').click();
    await page.getByTestId(`variable-${t.variable}`).click();
    await text.press('End');
    await text.pressSequentially(t.after);
    return form;
  }

  it('creates a template with a variable and a file, uses it in a reply, exports and imports CSV (English)', {
    timeout: 180_000,
  }, async () => {
    const page = await ui.signedInPage({ width: 1280, height: 900 });
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.getByTestId('nav-templates').click();
    await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    expect(await page.getByTestId('templates-page').innerText()).toContain('No templates yet.');

    const form = await writeTemplate(page, {
      name: 'Price list',
      shortcut: '/prices',
      before: 'Hello ',
      variable: 'contact.first_name',
      after: ', our prices are attached. {{contact.shoe_size}}',
    });
    expect(await form.getByTestId('template-text').inputValue()).toBe(
      'Hello {{contact.first_name}}, our prices are attached. {{contact.shoe_size}}',
    );
    // The preview fills sample values and calls out the misspelt variable.
    await expect
      .poll(() => form.getByTestId('template-preview-text').innerText())
      .toBe('Hello Anna, our prices are attached. ');
    expect(await form.getByTestId('template-preview-unknown').innerText()).toContain('{{contact.shoe_size}}');
    await form.getByTestId('template-text').fill('Hello {{contact.first_name}}, our prices are attached.');
    await expect.poll(() => form.getByTestId('template-preview-unknown').count()).toBe(0);
    await pickFile(page, 'template-add-file', {
      name: 'prices.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await form.getByTestId('template-file').filter({ hasText: 'prices.pdf' }).waitFor();
    await expect.poll(() => form.getByTestId('template-save').isEnabled()).toBe(true);
    await page.screenshot({ path: join(shots, 'templates-edit.png') });
    await form.getByTestId('template-save').click();
    const row = page.getByTestId('template-row').filter({ hasText: 'Price list' });
    await row.waitFor();
    expect(await row.innerText()).toContain('/prices');
    expect(await row.innerText()).toContain('1 file');

    // Search and the scope filter narrow the list.
    await page.getByTestId('templates-search').fill('nothing like it');
    await page.getByText('Nothing matches.').waitFor();
    await page.getByTestId('templates-search').fill('PRICES');
    await row.waitFor();
    await page.getByTestId('templates-scope-filter').click();
    await page.getByRole('option', { name: 'Personal', exact: true }).click();
    await page.getByText('Nothing matches.').waitFor();
    await page.getByTestId('templates-scope-filter').click();
    await page.getByRole('option', { name: 'Everyone', exact: true }).click();
    await row.waitFor();
    await page.getByTestId('templates-search').fill('');

    // Used with "/" in a conversation: the text is filled and the file comes along to the reply.
    await ui.inbound({ externalId: 'maria', name: 'Maria Lopez' }, 'How much is it?');
    const conv = await conversationOf('Maria Lopez');
    await page.goto(`${ui.server.url}/inbox/all/${conv}`);
    const box = page.getByTestId('composer-input');
    await box.fill('/pri');
    await page.getByTestId('template-list').getByText('Price list').click();
    await expect.poll(() => box.inputValue()).toBe('Hello Maria, our prices are attached.');
    await page
      .locator('[data-testid=pending-attachment][data-state=ready]')
      .filter({ hasText: 'prices.pdf' })
      .waitFor();
    await box.press('Enter');
    const sent = page.getByTestId('message').filter({ hasText: 'our prices are attached' });
    await sent.getByTestId('file-name').filter({ hasText: 'prices.pdf' }).waitFor();

    // Export, then an import with one bad row (nothing written), then the fixed file.
    await page.goto(`${ui.server.url}/templates`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('templates-export').click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(
      'Price list,/prices,everyone,,"Hello {{contact.first_name}}, our prices are attached."',
    );
    const bad = `${csv.trimEnd()}\r\nRefunds,/refund,everyone,,Refund in 3 days\r\nBroken,/broken,team,Nowhere,x\r\n`;
    await page.getByTestId('templates-import').click();
    const dialog = page.getByRole('dialog');
    await pickFile(page, 'template-import-file', {
      name: 'templates.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await dialog.getByTestId('template-import-run').click();
    const error = dialog.getByTestId('template-import-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/^4\s+team: no team "Nowhere" in this account$/);
    const fixed = bad.replace('Broken,/broken,team,Nowhere,x\r\n', '');
    await pickFile(page, 'template-import-file', {
      name: 'fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(fixed),
    });
    await dialog.getByTestId('template-import-check').click();
    expect(await dialog.getByTestId('template-import-result').innerText()).toBe('Ready: 1 new, 1 to update.');
    await dialog.getByTestId('template-import-run').click();
    await expect
      .poll(() => dialog.getByTestId('template-import-result').innerText())
      .toBe('Imported: 1 new, 1 updated.');
    await page.keyboard.press('Escape');
    await page.getByTestId('template-row').filter({ hasText: 'Refunds' }).waitFor();
    // The re-imported template kept its file (files are not part of the CSV).
    expect(await page.getByTestId('template-row').filter({ hasText: 'Price list' }).innerText()).toContain(
      '1 file',
    );
    const mine = await ui.admin.call('POST', '/api/v1/templates', {
      name: 'My signature',
      shortcut: 'sig',
      text: '— {{operator.name}}, customer care',
      scope: 'personal',
    });
    expect(mine.status).toBe(201);
    await page.reload();
    await page.getByTestId('template-row').filter({ hasText: 'My signature' }).waitFor();
    await page.screenshot({ path: join(shots, 'templates.png') });
    expect(ui.problems).toEqual([]);
  });

  it('edits, removes a file and deletes in Russian', { timeout: 120_000 }, async () => {
    const page = await ui.signedInPage({ width: 1280, height: 900, lang: 'ru' });
    await page.goto(`${ui.server.url}/templates`);
    await page.getByRole('heading', { name: 'Шаблоны', exact: true }).waitFor();
    const form = await writeTemplate(page, {
      name: 'Доставка',
      shortcut: 'доставка',
      before: 'Здравствуйте, ',
      variable: 'contact.name',
      after: '! Оператор {{operator.first_name}}. {{опечатка}}',
    });
    await expect
      .poll(() => form.getByTestId('template-preview-text').innerText())
      .toBe('Здравствуйте, Anna Smith! Оператор Alice. ');
    expect(await form.getByTestId('template-preview-unknown').innerText()).toBe(
      'Неизвестные переменные (будут пропущены): {{опечатка}}',
    );
    await pickFile(page, 'template-add-file', {
      name: 'условия.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await form.getByTestId('template-file').filter({ hasText: 'условия.pdf' }).waitFor();
    await form.getByTestId('template-save').click();
    const row = page.getByTestId('template-row').filter({ hasText: 'Доставка' });
    await row.waitFor();
    expect(await row.innerText()).toContain('1 файл');

    await row.getByTestId('template-edit').click();
    const edit = page.getByRole('dialog');
    await edit.getByRole('button', { name: 'Убрать условия.pdf' }).click();
    await edit.getByTestId('template-save').click();
    await expect.poll(() => row.innerText()).not.toContain('файл');
    const stored = await ui.admin.call<{ items: { name: string; attachments: unknown[] }[] }>(
      'GET',
      '/api/v1/templates?q=доставка',
    );
    expect(stored.json.items.map((x) => [x.name, x.attachments.length])).toEqual([['Доставка', 0]]);

    await row.getByTestId('template-delete').click();
    await row.getByTestId('template-delete-confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(ui.problems).toEqual([]);
  });
});
