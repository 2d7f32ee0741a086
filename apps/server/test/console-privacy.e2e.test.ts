// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/**
 * Privacy requests from the contact panel in a real browser: the admin downloads the contact's data
 * and erases it after typing the name; the conversation leaves the inbox. In English and in Russian.
 */
describe.skipIf(!runnable)('Console: export and erase a contact’s data', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  let page: Page;
  const shots = screenshotDir();

  beforeAll(async () => {
    await ui.inbound({ externalId: 'cust-erin', name: 'Erin Erasable' }, 'Please delete me');
    await ui.inbound({ externalId: 'cust-kim', name: 'Kim Keeps' }, 'I stay');
    page = await ui.signedInPage();
  }, 60_000);

  const row = (name: string) => page.getByTestId('conversation-row').filter({ hasText: name });

  it('exports, then erases after the name is typed; the conversation is gone', {
    timeout: 60_000,
  }, async () => {
    // Another console with the inbox open sees the conversation go without a reload.
    const watcher = await ui.signedInPage();
    await watcher.goto(`${ui.server.url}/inbox/all`);
    await watcher.getByTestId('conversation-row').filter({ hasText: 'Erin Erasable' }).waitFor();
    await page.goto(`${ui.server.url}/inbox/all`);
    await row('Erin Erasable').waitFor({ timeout: 15_000 });
    await row('Erin Erasable').click();
    await page.getByTestId('open-contact').click();
    const panel = page.getByTestId('contact-panel');
    await panel.waitFor();
    const privacy = panel.getByTestId('contact-privacy');
    expect(await privacy.innerText()).toContain('Export data');

    // The export link downloads a ZIP with the session the page has.
    const href = await privacy.getByTestId('contact-export').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/contacts\/[^/]+\/export$/);
    const download = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), magic: [b[0], b[1]] };
    }, href!);
    expect(download).toEqual({ status: 200, type: 'application/zip', magic: [0x50, 0x4b] });

    await privacy.getByTestId('contact-erase').click();
    const dialog = page.getByRole('dialog', { name: 'Erase all data of this contact?' });
    await dialog.waitFor();
    const submit = dialog.getByTestId('contact-erase-submit');
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByTestId('contact-erase-confirm').fill('Erin');
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByTestId('contact-erase-confirm').fill('Erin Erasable');
    expect(await submit.isDisabled()).toBe(false);
    await page.screenshot({ path: join(shots, 'contact-erase.png') });
    await submit.click();

    await panel.waitFor({ state: 'detached' });
    await expect.poll(() => row('Erin Erasable').count(), { timeout: 10_000 }).toBe(0);
    // The list reloads after the erase; the other customer must come back in it, so wait for the reload.
    await expect.poll(() => row('Kim Keeps').count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => watcher.getByTestId('conversation-row').filter({ hasText: 'Erin Erasable' }).count(), {
        timeout: 10_000,
      })
      .toBe(0);
    const audit = await ui.admin.call<{ items: { action: string }[] }>('GET', '/api/v1/audit-log');
    expect(audit.json.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['contact.exported', 'contact.erased']),
    );
    expect(ui.problems).toEqual([]);
  });

  it('speaks Russian', { timeout: 60_000 }, async () => {
    const ru = await ui.signedInPage({ lang: 'ru' });
    await ru.goto(`${ui.server.url}/inbox/all`);
    await ru.getByTestId('conversation-row').filter({ hasText: 'Kim Keeps' }).click();
    await ru.getByTestId('open-contact').click();
    const privacy = ru.getByTestId('contact-privacy');
    await privacy.waitFor();
    expect(await privacy.getByTestId('contact-export').innerText()).toBe('Выгрузить данные');
    await privacy.getByTestId('contact-erase').click();
    const dialog = ru.getByRole('dialog', { name: 'Удалить все данные этого контакта?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Введите Kim Keeps для подтверждения');
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(ui.problems).toEqual([]);
  });
});
