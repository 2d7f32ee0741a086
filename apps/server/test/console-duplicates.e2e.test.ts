// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, postInbound, screenshotDir } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * Duplicate suggestions in real browsers: the admin sets the default country on the Contacts screen's
 * "possible duplicates" dialog, the pair sharing a phone appears there and in the contact panel, the
 * panel's Merge shows the preview and merges; the same screens in Russian.
 */
describe.skipIf(!runnable)('Console duplicates: suggestions, merge from the contact panel, settings', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();
  type Customer = { externalId: string; name: string; phone?: string; email?: string };
  const customer = (c: Customer, text: string) =>
    postInbound(ui.server, ui.channel, c as { externalId: string; name: string }, text);
  const contactIdOf = async (q: string) =>
    (await ui.admin.call<{ items: { id: string }[] }>('GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`))
      .json.items[0]!.id;

  it('lists duplicates once the default country is set and merges from the contact panel (English)', {
    timeout: 90_000,
  }, async () => {
    await customer({ externalId: 'anna-shop', name: 'Anna Shop', phone: '+7 912 345-67-89' }, 'Order 1');
    await customer({ externalId: 'anna-app', name: 'Anna App', phone: '8 912 345 67 89' }, 'Where is it?');
    await customer({ externalId: 'zed', name: 'Zed', phone: '+7 900 111-22-33' }, 'Hi');
    const page = await ui.signedInPage({ width: 1280, height: 900 });
    await page.goto(`${ui.server.url}/contacts`);
    await page.getByTestId('contacts-duplicates-open').click();
    const dialog = page.getByTestId('duplicates-dialog');
    // No default country yet: "8 912…" is not comparable with "+7 912…".
    await dialog.getByTestId('duplicates-empty').waitFor();
    expect(await dialog.getByTestId('duplicates-empty').innerText()).toBe(
      'No contacts share a phone number or an e-mail address.',
    );
    await dialog.getByTestId('contact-settings-country').fill('ru');
    await dialog.getByTestId('contact-settings-save').click();
    await dialog.getByTestId('contact-settings-saved').waitFor();
    const group = dialog.getByTestId('duplicate-group');
    await group.waitFor();
    expect(await group.innerText()).toContain('Phone +79123456789');
    expect(await group.getByTestId('duplicate-name').allInnerTexts()).toEqual(['Anna Shop', 'Anna App']);
    expect(await group.getByTestId('duplicate-merge').innerText()).toBe('Merge into Anna Shop');
    await page.screenshot({ path: join(shots, 'contacts-duplicates.png') });
    expect(
      (await ui.admin.call<{ defaultCountry: string }>('GET', '/api/v1/contact-settings')).json
        .defaultCountry,
    ).toBe('RU');
    await page.keyboard.press('Escape');

    // The contact panel of Anna App's conversation suggests Anna Shop and merges her into this contact.
    const appId = await contactIdOf('Anna App');
    const shopId = await contactIdOf('Anna Shop');
    const convs = await ui.admin.call<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/conversations?contact=${appId}`,
    );
    await page.goto(`${ui.server.url}/inbox/all/${convs.json.items[0]!.id}`);
    await page.getByTestId('open-contact').click();
    const panel = page.getByTestId('contact-panel');
    const dup = panel.getByTestId('contact-duplicate');
    await dup.waitFor();
    expect(await dup.innerText()).toContain('Anna Shop');
    expect(await dup.innerText()).toContain('same phone');
    await dup.getByTestId('contact-duplicate-merge').click();
    const merge = page.getByTestId('merge-dialog');
    await merge.getByTestId('merge-fields').waitFor();
    expect(await merge.innerText()).toContain('The contact you keep wins');
    const nameRow = merge.getByTestId('merge-field').filter({ hasText: /^name/ });
    expect(await nameRow.innerText()).toMatch(/conflict/i);
    expect(await merge.getByTestId('merge-moves').innerText()).toBe(
      'Moves: 1 channels, 1 conversations, 0 notes',
    );
    await page.screenshot({ path: join(shots, 'contact-merge.png') });
    await merge.getByTestId('merge-confirm').click();
    await merge.waitFor({ state: 'detached' });
    // The panel now shows both channels on this contact and no suggestion any more.
    await expect.poll(() => panel.getByText('anna-shop').count()).toBe(1);
    await expect.poll(() => panel.getByTestId('contact-duplicate').count()).toBe(0);
    const gone = await ui.admin.call('GET', `/api/v1/contacts/${shopId}/duplicates`);
    expect(gone.status).toBe(409);
    expect(ui.problems).toEqual([]);
  });

  it('shows suggestions and the merge preview in Russian', { timeout: 90_000 }, async () => {
    await customer({ externalId: 'ivan-1', name: 'Иван', email: 'Ivan@Example.com' }, 'Привет');
    await customer({ externalId: 'ivan-2', name: 'Иван П.', email: 'ivan@example.com' }, 'Где заказ?');
    const page = await ui.signedInPage({ width: 390, height: 800, lang: 'ru' });
    await page.goto(`${ui.server.url}/contacts`);
    await page.getByRole('heading', { name: 'Контакты' }).waitFor();
    await page.getByTestId('contacts-duplicates-open').click();
    const dialog = page.getByTestId('duplicates-dialog');
    const group = dialog.getByTestId('duplicate-group').filter({ hasText: 'Почта ivan@example.com' });
    await group.waitFor();
    expect(await group.getByTestId('duplicate-merge').innerText()).toBe('Объединить в «Иван»');
    expect(await dialog.innerText()).toMatch(/Сравнение контактов/i);
    await group.getByTestId('duplicate-merge').click();
    const merge = page.getByTestId('merge-dialog');
    await merge.getByTestId('merge-fields').waitFor();
    expect(await merge.innerText()).toContain('Побеждает контакт, который остаётся');
    expect(await merge.getByTestId('merge-moves').innerText()).toBe(
      'Перейдут: каналов 1, диалогов 1, заметок 0',
    );
    await page.screenshot({ path: join(shots, 'contact-merge-ru.png') });
    await merge.getByTestId('merge-confirm').click();
    await merge.waitFor({ state: 'detached' });
    await expect.poll(() => dialog.getByTestId('duplicate-group').count()).toBe(0);
    expect(await dialog.getByTestId('duplicates-empty').innerText()).toBe(
      'Контактов с одинаковым телефоном или почтой нет.',
    );
    expect(ui.problems).toEqual([]);
  });
});
