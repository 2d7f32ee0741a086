// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, screenshotDir } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * Saved views and list orders in real browsers: an operator orders the inbox by the customer waiting
 * longest, saves that as a view, finds it in the sidebar and opens it again; renames and deletes one.
 * English and Russian.
 */
describe.skipIf(!runnable)('Console: saved views and inbox orders', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();
  // Written in this order: Anna has waited longest, Chen wrote last (the newest activity).
  const customers = ['Anna Berg', 'Boris Orlov', 'Chen Wei'];

  beforeAll(async () => {
    // One at a time, so each customer's wait starts after the previous one's.
    for (const [i, name] of customers.entries()) {
      await ui.inbound({ externalId: name, name }, `Hello from ${name}`);
      await ui.awaitConversations(i + 1);
    }
  });

  const rows = async (page: Page) => {
    const names = page.getByTestId('conversation-row').getByTestId('row-contact');
    await names.first().waitFor();
    return names.allInnerTexts();
  };
  const ordered = (page: Page, names: string[]) =>
    expect.poll(async () => (await rows(page)).map((n) => n.trim())).toEqual(names);
  const pickSort = async (page: Page, label: string) => {
    await page.getByTestId('sort-select').click();
    await page.getByRole('option', { name: label, exact: true }).click();
  };
  const savedView = (page: Page, name: string) =>
    page.locator(`[data-testid=saved-view][data-view-name="${name}"]`);

  it('orders by oldest waiting, saves it as a view and opens it again (English)', {
    timeout: 120_000,
  }, async () => {
    const page = await ui.open('/inbox/all', { width: 1280, height: 900 });
    await ordered(page, [...customers].reverse());

    await pickSort(page, 'Oldest waiting');
    await page.waitForURL(/sort=oldest_waiting/);
    await ordered(page, customers);

    await page.getByTestId('view-save').click();
    await page.getByTestId('view-name').fill('Waiting longest');
    await page.getByTestId('view-submit').click();
    await savedView(page, 'Waiting longest').waitFor();
    await expect
      .poll(
        async () =>
          (await ui.admin.call<{ items: { name: string; filters: unknown }[] }>('GET', '/api/v1/views')).json
            .items,
      )
      .toMatchObject([{ name: 'Waiting longest', filters: { sort: 'oldest_waiting' } }]);

    // Elsewhere in the inbox, the view brings the filters and the order back.
    await page.goto(`${ui.server.url}/inbox/mine?status=pending`);
    await savedView(page, 'Waiting longest').getByRole('link').click();
    await page.waitForURL(/\/inbox\/all\?sort=oldest_waiting$/);
    await ordered(page, customers);
    expect(await savedView(page, 'Waiting longest').getByRole('link').getAttribute('aria-current')).toBe(
      'page',
    );

    await pickSort(page, 'Priority');
    await page.waitForURL(/sort=priority/);
    expect(
      await savedView(page, 'Waiting longest').getByRole('link').getAttribute('aria-current'),
    ).toBeNull();
    await pickSort(page, 'Oldest waiting');
    await page.screenshot({ path: join(shots, 'inbox-views.png') });
    expect(ui.problems).toEqual([]);
  });

  it('shows, renames and deletes views in Russian', { timeout: 120_000 }, async () => {
    const page = await ui.open('/inbox/all', { width: 1280, height: 900, lang: 'ru' });
    expect(await page.getByRole('navigation').innerText()).toContain('ПРЕДСТАВЛЕНИЯ');
    await savedView(page, 'Waiting longest').getByRole('link').click();
    await page.waitForURL(/sort=oldest_waiting/);
    await ordered(page, customers);
    expect(await page.getByTestId('sort-select').inputValue()).toBe('Дольше всех ждут');

    await pickSort(page, 'По приоритету');
    await page.getByTestId('view-save').click();
    await page.getByRole('dialog', { name: 'Сохранить представление' }).waitFor();
    await page.getByTestId('view-name').fill('Срочные');
    await page.getByTestId('view-submit').click();
    await savedView(page, 'Срочные').waitFor();

    await savedView(page, 'Waiting longest').getByTestId('saved-view-edit').click();
    await page.getByRole('dialog', { name: 'Изменить представление' }).waitFor();
    await page.getByTestId('view-name').fill('Ждут дольше всех');
    await page.getByTestId('view-submit').click();
    await savedView(page, 'Ждут дольше всех').waitFor();

    await savedView(page, 'Срочные').getByTestId('saved-view-edit').click();
    await page.getByTestId('view-delete').click();
    await savedView(page, 'Срочные').waitFor({ state: 'detached' });
    const names = (await ui.admin.call<{ items: { name: string }[] }>('GET', '/api/v1/views')).json.items;
    expect(names.map((v) => v.name)).toEqual(['Ждут дольше всех']);
    await page.screenshot({ path: join(shots, 'inbox-views-ru.png') });
    expect(ui.problems).toEqual([]);
  });
  it('an admin shares a view with a team; its member sees it read-only', { timeout: 120_000 }, async () => {
    const olga = { email: 'olga@example.com', password: 'operator password 1', name: 'Olga Operator' };
    const created = await ui.admin.call<{ id: string }>('POST', '/api/v1/users', {
      ...olga,
      role: 'operator',
    });
    expect(created.status).toBe(201);
    const team = await ui.admin.call('POST', '/api/v1/teams', {
      name: 'Support',
      memberIds: [created.json.id],
    });
    expect(team.status).toBe(201);

    const admin = await ui.open('/inbox/unassigned?sort=priority', { width: 1280, height: 900 });
    await admin.getByTestId('view-save').click();
    await admin.getByTestId('view-name').fill('Urgent unassigned');
    await admin.getByTestId('view-team').click();
    await admin.getByRole('option', { name: 'Support', exact: true }).click();
    await admin.getByTestId('view-submit').click();
    await savedView(admin, 'Urgent unassigned').waitFor();

    const page = await ui.open('/inbox/mine', { width: 1280, height: 900 }, olga);
    const shared = savedView(page, 'Urgent unassigned');
    await shared.waitFor();
    expect(await page.getByRole('navigation').innerText()).toContain('Shared with my team');
    // Another admin's personal view is not hers; the team's view has no edit button for her.
    expect(await page.getByTestId('saved-view').count()).toBe(1);
    expect(await shared.getByTestId('saved-view-edit').count()).toBe(0);
    await shared.getByRole('link').click();
    await page.waitForURL(/\/inbox\/unassigned\?sort=priority$/);
    await ordered(page, [...customers].reverse());
    expect(ui.problems).toEqual([]);
  });
});
