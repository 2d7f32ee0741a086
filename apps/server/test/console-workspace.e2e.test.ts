import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import { connectWhatsApp, consoleSuiteRunnable, postInbound, unnamedControls } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { ADMIN_SCREENS, consoleScreens } from './console-screens.ts';

const runnable = consoleSuiteRunnable();
const OLGA = '79990001122';

/**
 * The console a team works in all day (issue 18, "The console a team chooses"): what each list row
 * tells, the contact column, the command palette, search filters, density and keyboard access.
 */
describe.skipIf(!runnable)('Console workspace (Chromium)', () => {
  const ui = useConsole({ apiChannel: 'Shop backend' });
  let wa: WhatsAppSandbox;
  let whatsappId = '';
  let phoneNumberId = '';
  let olgaConversation = '';
  let bobConversation = '';

  const conversationsOf = (query: string, n = 1) => ui.awaitConversations(n, `?${query}`);

  beforeAll(async () => {
    wa = await new WhatsAppSandbox().start();
    const number = await connectWhatsApp(ui.admin, wa, 'WhatsApp shop');
    whatsappId = number.channelId;
    phoneNumberId = number.phoneNumberId;
    await wa.customerSends(number.phoneNumberId, {
      from: OLGA,
      name: 'Olga Smirnova',
      content: { text: 'I need size M' },
    });
    olgaConversation = (await conversationsOf(`channel=${whatsappId}`))[0]!.id;
    await postInbound(ui.server, ui.channel, { externalId: 'bob', name: 'Bob Stone' }, 'Where is my parcel?');
    bobConversation = (await conversationsOf(`channel=${ui.channel.id}`))[0]!.id;
  }, 60_000);

  afterAll(async () => {
    await wa?.settle();
    await wa?.stop();
    expect(ui.problems).toEqual([]);
  });

  const row = (page: Page, id: string) =>
    page.locator(`[data-testid=conversation-row][data-conversation-id="${id}"]`);

  for (const lang of ['en', 'ru'] as const)
    for (const width of [375, 1440])
      it(`a row shows its channel's icon and name and how long the customer waits (${lang}, ${width} px)`, async () => {
        const page = await ui.signedInPage({ width, height: 800, lang });
        await page.goto(`${ui.server.url}/inbox/all`);
        const olga = row(page, olgaConversation);
        const bob = row(page, bobConversation);
        await olga.waitFor();
        await expect
          .poll(() => olga.getByTestId('row-channel').locator('svg').getAttribute('data-channel-kind'))
          .toBe('whatsapp');
        expect(await bob.getByTestId('row-channel').locator('svg').getAttribute('data-channel-kind')).toBe(
          'api',
        );
        expect(await olga.getByTestId('row-channel').innerText()).toBe('WhatsApp shop');
        expect(await bob.getByTestId('row-channel').innerText()).toBe('Shop backend');
        // The channel name fits the row at both widths (not cut to a stub).
        const box = await olga.getByTestId('row-channel').boundingBox();
        expect(box!.width).toBeGreaterThan(60);
        const waiting = olga.getByTestId('row-waiting');
        // Minutes since Olga wrote (the suite takes a few): short in the row, whole words in its title.
        expect(await waiting.getByTestId('row-waiting-short').innerText()).toMatch(
          lang === 'en' ? /^\d min$/ : /^\d мин$/,
        );
        expect(await waiting.getAttribute('title')).toMatch(
          lang === 'en' ? /^Waiting: \d minutes?$/ : /^Ожидание: \d минут[аы]?$/,
        );
        expect(await unnamedControls(page)).toEqual([]);
        await page.context().close();
      });

  it('an answered conversation no longer shows a wait', async () => {
    const page = await ui.signedInPage({ width: 1440, height: 900 });
    await page.goto(`${ui.server.url}/inbox/all/${bobConversation}`);
    await row(page, bobConversation).getByTestId('row-waiting').waitFor();
    const sent = await ui.admin.call('POST', `/api/v1/conversations/${bobConversation}/messages`, {
      text: 'On its way',
      clientMessageId: 'ws-answer-bob',
    });
    expect(sent.status).toBe(202);
    await row(page, bobConversation).getByTestId('row-waiting').waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('keeps the contact as a column beside the conversation at 1440 px, with the customer’s other conversations', async () => {
    // Olga's first conversation is resolved and she writes again: a second conversation of hers.
    const resolved = await ui.admin.call('PATCH', `/api/v1/conversations/${olgaConversation}`, {
      status: 'resolved',
    });
    expect(resolved.status).toBe(200);
    await wa.customerSends(phoneNumberId, {
      from: OLGA,
      name: 'Olga Smirnova',
      content: { text: 'Size L now' },
    });
    const open = await conversationsOf(`channel=${whatsappId}&status=open`);
    const second = open[0]!.id;
    expect(second).not.toBe(olgaConversation);

    for (const lang of ['en', 'ru'] as const) {
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/inbox/all/${second}`);
      const column = page.getByTestId('contact-column');
      await column.getByTestId('contact-panel').waitFor();
      // A named side region for screen readers.
      expect(await column.evaluate((el) => el.tagName)).toBe('ASIDE');
      expect(await column.getAttribute('aria-label')).toBe(lang === 'en' ? 'Contact' : 'Контакт');
      await expect.poll(() => column.getByTestId('contact-conversation').count()).toBe(2);
      // Beside the conversation, not over it: the composer stays usable and fully visible.
      const composer = await page.getByTestId('composer-input').boundingBox();
      const col = await column.boundingBox();
      expect(composer!.x + composer!.width).toBeLessThanOrEqual(col!.x + 1);
      expect(await unnamedControls(page)).toEqual([]);
      // The earlier conversation opens from the column; the column stays.
      await column
        .getByTestId('contact-conversation')
        .filter({ hasNotText: lang === 'en' ? 'This conversation' : 'Текущий диалог' })
        .click();
      await page.waitForURL(new RegExp(olgaConversation));
      await column.getByTestId('contact-panel').waitFor();
      // Hidden by the operator's choice, remembered after a reload; shown again the same way.
      await page.getByTestId('open-contact').click();
      await page.getByTestId('contact-column').waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('conversation-contact').waitFor();
      expect(await page.getByTestId('contact-column').count()).toBe(0);
      expect(await page.getByTestId('open-contact').getAttribute('aria-pressed')).toBe('false');
      await page.getByTestId('open-contact').click();
      await page.getByTestId('contact-column').waitFor();
      await page.context().close();
    }
  }, 240_000);

  it('opens the contact as a drawer at 375 px, with the customer’s other conversations', async () => {
    const page = await ui.signedInPage({ width: 375, height: 800, lang: 'ru' });
    await page.goto(`${ui.server.url}/inbox/all/${olgaConversation}`);
    await page.getByTestId('conversation-contact').waitFor();
    expect(await page.getByTestId('contact-column').count()).toBe(0);
    await page.getByTestId('open-contact').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('contact-panel').waitFor();
    await expect.poll(() => drawer.getByTestId('contact-conversation').count()).toBe(2);
    await page.keyboard.press('Escape');
    await page.getByTestId('contact-panel').waitFor({ state: 'detached' });
    await page.context().close();
  }, 120_000);

  const TEXT = {
    en: { assign: 'assign', you: 'You', snooze: 'snooze', reports: 'reports', addLabel: 'Add label “vip”' },
    ru: { assign: 'взять', you: 'Вы', snooze: 'отлож', reports: 'отчёт', addLabel: 'Добавить метку «vip»' },
  } as const;

  for (const lang of ['en', 'ru'] as const)
    it(`the command palette jumps and acts on the open conversation by keyboard alone (${lang})`, async () => {
      const text = TEXT[lang];
      // A fresh unassigned conversation for this run.
      await postInbound(
        ui.server,
        ui.channel,
        { externalId: `pal-${lang}`, name: `Palette ${lang}` },
        'Need help',
      );
      const [conv] = await conversationsOf(`assignee=none&channel=${ui.channel.id}`);
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/inbox/all/${conv!.id}`);
      await page.getByTestId('conversation-contact').waitFor();
      const palette = async (query: string) => {
        await page.keyboard.press('Control+k');
        const input = page.getByTestId('palette-input');
        await input.waitFor();
        await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
        await input.fill(query);
        return input;
      };
      // Assign to me.
      await palette(text.assign);
      await expect
        .poll(() => page.getByTestId('palette-item').first().getAttribute('aria-selected'))
        .toBe('true');
      await page.keyboard.press('Enter');
      await page.getByTestId('palette-input').waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('conversation-assignee').innerText()).toBe(text.you);
      // A label typed in the palette.
      await palette('vip');
      expect(await page.getByTestId('palette-item').first().innerText()).toBe(text.addLabel);
      await page.keyboard.press('Enter');
      await expect
        .poll(
          async () =>
            (await ui.admin.call<{ labels: string[] }>('GET', `/api/v1/conversations/${conv!.id}`)).json
              .labels,
        )
        .toEqual(['vip']);
      // Arrows move the choice: the second snooze entry is "until tomorrow".
      await palette(text.snooze);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('conversation-status').getAttribute('data-status'))
        .toBe('snoozed');
      const snoozed = await ui.admin.call<{ snoozedUntil: number }>(
        'GET',
        `/api/v1/conversations/${conv!.id}`,
      );
      // 9:00 tomorrow on the operator's clock (the browser runs in Berlin).
      const hour = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        hourCycle: 'h23',
      });
      expect(hour.format(snoozed.json.snoozedUntil)).toBe('09');
      // Another conversation by its customer's name, then a screen.
      await palette('Bob Sto');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(bobConversation));
      await palette(text.reports);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/reports$/);
      // Esc closes it without running anything; the shortcuts sheet lists the palette.
      await palette('');
      expect(await unnamedControls(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByTestId('palette-input').waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await expect.poll(() => page.getByTestId('shortcuts-help').innerText()).toContain('Ctrl+K');
      await page.context().close();
    }, 240_000);

  it('search has one box, filters in the page, and results with channel, status and date (en, ru)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/search?q=size`);
      await page.getByTestId('search-hit').first().waitFor();
      // One search box on the screen (the header's is not repeated here).
      expect(await page.getByTestId('search-input').count()).toBe(1);
      const hit = page.getByTestId('search-hit').first();
      expect(await hit.getByTestId('search-hit-channel').innerText()).toBe('WhatsApp shop');
      expect(await hit.getByTestId('search-hit-status').getAttribute('data-status')).toMatch(/open|resolved/);
      expect(await hit.getByTestId('search-hit-date').innerText()).toMatch(/\d/);
      // Filters: status through its control, then the API channel (no "size" there).
      await page.getByTestId('search-filter-status').click();
      await page.getByRole('option', { name: lang === 'en' ? 'Resolved' : 'Решённые' }).click();
      await page.waitForURL(/status=resolved/);
      await expect.poll(() => page.getByTestId('search-hit').count()).toBe(1);
      expect(await page.getByTestId('search-hit-status').getAttribute('data-status')).toBe('resolved');
      await page.getByTestId('search-filter-channel').click();
      await page.getByRole('option', { name: 'Shop backend' }).click();
      await page.waitForURL(new RegExp(`channel=${ui.channel.id}`));
      await expect.poll(() => page.getByTestId('search-hit').count()).toBe(0);
      // Every filter the API has is on the screen, named.
      for (const f of ['channel', 'status', 'assignee', 'label', 'from', 'to'])
        expect(await page.getByTestId(`search-filter-${f}`).count(), f).toBe(1);
      await page.getByTestId('search-filter-clear').click();
      await page.waitForURL((u) => !u.search.includes('channel='));
      // A date range that ends before today finds nothing; the search box keeps the filters.
      await page.getByTestId('search-filter-to').fill('2020-01-01');
      await expect.poll(() => page.getByTestId('search-hit').count()).toBe(0);
      await page.getByTestId('search-input').fill('parcel');
      await page.getByTestId('search-input').press('Enter');
      await page.waitForURL(/q=parcel.*to=2020-01-01|to=2020-01-01.*q=parcel/);
      expect(await unnamedControls(page)).toEqual([]);
      await page.context().close();
    }
  }, 180_000);

  for (const width of [375, 1440])
    it(`compact rows fit more conversations and stay compact after a reload (${width} px)`, async () => {
      const page = await ui.signedInPage({ width, height: 800 });
      await page.goto(`${ui.server.url}/inbox/all`);
      const first = page.getByTestId('conversation-row').first();
      await first.waitFor();
      const tall = (await first.boundingBox())!.height;
      expect(await page.getByTestId('density-toggle').getAttribute('aria-pressed')).toBe('false');
      await page.getByTestId('density-toggle').click();
      await expect.poll(() => first.getAttribute('data-density')).toBe('compact');
      const short = (await first.boundingBox())!.height;
      expect(short).toBeLessThan(tall * 0.7);
      // The channel and the wait stay in a compact row.
      expect(await page.getByTestId('row-channel').count()).toBeGreaterThan(0);
      await page.reload();
      await page.getByTestId('conversation-row').first().waitFor();
      expect(await page.getByTestId('conversation-row').first().getAttribute('data-density')).toBe('compact');
      expect(await page.getByTestId('density-toggle').getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('density-toggle').click();
      await expect
        .poll(() => page.getByTestId('conversation-row').first().getAttribute('data-density'))
        .toBe('comfortable');
      await page.context().close();
    });

  it('every screen and the palette name every control for screen readers', async () => {
    const page = await ui.signedInPage({ width: 1440, height: 900 });
    const screens = consoleScreens(bobConversation, 'size', ADMIN_SCREENS);
    const problems: Record<string, string[]> = {};
    for (const path of screens) {
      await page.goto(`${ui.server.url}${path}`);
      await page.locator('[data-testid=live-status][data-status=live]').waitFor();
      await page.waitForLoadState('networkidle');
      const unnamed = await unnamedControls(page);
      if (unnamed.length) problems[path] = unnamed;
    }
    expect(problems).toEqual({});
    await page.goto(`${ui.server.url}/inbox/all/${bobConversation}`);
    await page.getByTestId('conversation-contact').waitFor();
    // The palette too.
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.context().close();
  }, 400_000);

  it('an admin turns "a reply takes an unassigned conversation" off and on (en, ru)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/admin/routing`);
      const toggle = page.getByRole('switch', {
        name:
          lang === 'en'
            ? 'A reply takes an unassigned conversation'
            : 'Ответ назначает диалог без исполнителя',
      });
      await expect.poll(() => toggle.isChecked()).toBe(true);
      await toggle.click({ force: true });
      await expect
        .poll(
          async () =>
            (await ui.admin.call<{ assignOnReply: boolean }>('GET', '/api/v1/account/inbox-settings')).json,
        )
        .toEqual({ assignOnReply: false });
      await page.reload();
      await expect.poll(() => toggle.isChecked()).toBe(false);
      await toggle.click({ force: true });
      await expect
        .poll(
          async () =>
            (await ui.admin.call<{ assignOnReply: boolean }>('GET', '/api/v1/account/inbox-settings')).json,
        )
        .toEqual({ assignOnReply: true });
      await page.context().close();
    }
  }, 180_000);
});
