// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads, which is what these checks are about
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, signIn, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { POISON_MARK, installPoisonTrigger, removePoisonTrigger } from './poison-trigger.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('Bad input in Chromium: the dead events screen, direction overrides', () => {
  const ui = useConsole({ apiChannel: 'Shop backend' });

  const deadCount = async () =>
    (await ui.admin.call<{ items: unknown[] }>('GET', '/api/v1/dead-events')).json.items.length;
  const until = async (cond: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('an admin sees a dead event with its payload and error, retries it, and the message arrives', async () => {
    const k = ui.server.ctx.db.kysely;
    await installPoisonTrigger(k, 'sqlite');
    const customer = { externalId: 'cust-poison', name: 'Paula Poison' };
    await ui.inbound(customer, `Order 77 ${POISON_MARK}`);
    await ui.inbound(customer, 'Are you there?');
    await until(async () => (await deadCount()) === 1, 20_000);

    const page: Page = await ui.page();
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    // Administration → Dead events, through the navigation as an admin would.
    await page.getByRole('link', { name: 'Dead events' }).click();
    await page.getByRole('heading', { name: 'Dead events' }).waitFor();
    const row = page.locator('[data-testid=dead-events] tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Shop backend');
    expect(await row.innerText()).toMatch(/poison message refused/);

    await row.getByRole('button', { name: 'Open' }).click();
    const detail = page.locator('[data-testid=dead-event-detail]');
    await detail.locator('[data-testid=dead-event-payload]').waitFor();
    expect(await detail.locator('[data-testid=dead-event-payload]').innerText()).toContain(
      `Order 77 ${POISON_MARK}`,
    );
    expect(await detail.locator('[data-testid=dead-event-error]').innerText()).toMatch(
      /poison message refused/,
    );
    expect(await detail.locator('[data-testid=dead-event-status]').innerText()).toMatch(/dead/i);

    // The customer's next message was not held behind the dead one.
    const convs = await ui.admin.call<{ items: { id: string; lastMessagePreview: string | null }[] }>(
      'GET',
      '/api/v1/conversations',
    );
    expect(convs.json.items).toHaveLength(1);

    // The cause is fixed; Retry processes it, and the screen follows it to "Processed".
    await removePoisonTrigger(k, 'sqlite');
    await detail.getByRole('button', { name: 'Retry' }).click();
    await expect
      .poll(() => detail.locator('[data-testid=dead-event-status]').innerText(), { timeout: 15_000 })
      .toMatch(/processed/i);
    await page.locator('[data-testid=dead-events-empty]').waitFor();
    const texts = await k.selectFrom('messages').select('body').orderBy('created_at').execute();
    expect(texts.map((m) => m.body)).toEqual(['Are you there?', `Order 77 ${POISON_MARK}`]);
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the screen is in Russian for a Russian admin, discarding keeps the event under "set aside"', async () => {
    const k = ui.server.ctx.db.kysely;
    await installPoisonTrigger(k, 'sqlite');
    await ui.inbound({ externalId: 'cust-2', name: 'Пётр' }, `Заказ ${POISON_MARK}`);
    await until(async () => (await deadCount()) === 1, 20_000);
    await removePoisonTrigger(k, 'sqlite');

    const page = await ui.signedInPage({ lang: 'ru' });
    await page.goto(`${ui.server.url}/admin/dead-events`);
    await page.getByRole('heading', { name: 'Сбойные события' }).waitFor();
    const row = page.locator('[data-testid=dead-events] tbody tr');
    await row.getByRole('button', { name: 'Открыть' }).click();
    const detail = page.locator('[data-testid=dead-event-detail]');
    await detail.getByRole('button', { name: 'Отложить' }).click();
    await expect
      .poll(() => detail.locator('[data-testid=dead-event-status]').innerText())
      .toMatch(/отложено/i);
    await page.locator('[data-testid=dead-events-empty]').waitFor();
    await page.getByText('Отложенные').click();
    await expect.poll(() => row.count()).toBe(1);

    const shown = await page.locator('main').innerText();
    const ev = (
      await ui.admin.call<{ items: { providerEventId: string; lastError: string }[] }>(
        'GET',
        '/api/v1/dead-events?status=discarded',
      )
    ).json.items[0]!;
    expect(
      untranslatedWords(shown, [
        'Shop backend',
        ev.providerEventId,
        ev.lastError,
        POISON_MARK,
        ui.server.admin.name,
      ]),
    ).toEqual([]);
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);
  it('a right-to-left override in a name or a message shows as U+FFFD, isolated, in the inbox', async () => {
    const spoofName = 'Mallory\u202Etxt.exe';
    const spoofText = 'Please open Invoice\u202Egpj.exe';
    await ui.inbound({ externalId: 'cust-rlo', name: spoofName }, spoofText);
    const page = await ui.signedInPage();
    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.locator('[data-testid=row-contact]', { hasText: 'Mallory' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toBe('Mallory\uFFFDtxt.exe');
    expect(await row.locator('bdi').count()).toBe(1);
    const preview = page.locator('[data-testid=row-preview]', { hasText: 'Invoice' });
    expect(await preview.innerText()).toBe('Please open Invoice\uFFFDgpj.exe');
    await row.click();
    const text = page.locator('[data-testid=message-text]', { hasText: 'Invoice' });
    await text.waitFor();
    expect(await text.innerText()).toBe('Please open Invoice\uFFFDgpj.exe');
    expect(await text.getAttribute('dir')).toBe('auto');
    expect(await page.locator('[data-testid=conversation-contact]').innerText()).toBe('Mallory\uFFFDtxt.exe');
    // Nothing on the page carries the override itself; the stored message keeps it.
    expect(await page.locator('body').innerText()).not.toContain('\u202E');
    const stored = await ui.server.ctx.db.kysely
      .selectFrom('messages')
      .select('body')
      .where('body', 'like', '%Invoice%')
      .executeTakeFirstOrThrow();
    expect(stored.body).toBe(spoofText);
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
