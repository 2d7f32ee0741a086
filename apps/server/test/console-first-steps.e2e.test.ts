import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

const TEXT = {
  en: {
    title: 'Welcome to Switchboard',
    connect: 'Connect a channel',
    invite: 'Invite operators',
    operator: /No channel is connected yet\. Ask an admin/,
    widget: /Website chat created\. Paste the snippet into every page of your site/,
    api: 'Channel created. Give your system the webhook URL and the secret.',
    widgetType: 'Chat widget for your website',
    apiType: 'API (your own system)',
    copy: 'Copy snippet',
    copied: 'Copied',
    unassigned: 'Unassigned',
  },
  ru: {
    title: 'Добро пожаловать в Switchboard',
    connect: 'Подключите канал',
    invite: 'Пригласите операторов',
    operator: /Ни один канал ещё не подключён\. Попросите администратора/,
    widget: /Чат для сайта создан\. Вставьте фрагмент кода на каждую страницу сайта/,
    api: 'Канал создан. Передайте вашей системе адрес вебхука и секрет.',
    widgetType: 'Виджет чата для вашего сайта',
    apiType: 'API (ваша собственная система)',
    copy: 'Копировать код',
    copied: 'Скопировано',
    unassigned: 'Без исполнителя',
  },
} as const;

/**
 * A new center's first minutes (issue 18): what an empty inbox tells an admin and an operator, and what
 * the channel screen says after a channel of each kind is connected.
 */
describe.skipIf(!runnable)('Console first steps (Chromium)', () => {
  const ui = useConsole();
  const operator = { email: 'olga@example.com', password: 'quiet-harbour-72', name: 'Olga Operator' };

  const created = (page: Page) => page.getByTestId('channel-created');

  it('an empty center tells the admin what to do next, and an operator whom to ask (en, ru; 375 and 1440 px)', async () => {
    expect((await ui.admin.call('POST', '/api/v1/users', { ...operator, role: 'operator' })).status).toBe(
      201,
    );
    for (const lang of ['en', 'ru'] as const)
      for (const width of [375, 1440]) {
        const t = TEXT[lang];
        const page = await ui.signedInPage({ width, height: 800, lang });
        await page.goto(`${ui.server.url}/inbox/mine`);
        const card = page.getByTestId('inbox-getting-started');
        await card.getByRole('heading', { name: t.title }).waitFor();
        await card.getByRole('link', { name: t.connect }).waitFor();
        await card.getByRole('link', { name: t.invite }).waitFor();
        expect(await card.getByTestId('start-demo-command').textContent()).toBe('npm run demo');
        // The card fits the screen: nothing cut at the right edge of a phone.
        const box = (await card.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        if (lang === 'ru')
          expect(
            untranslatedWords(((await card.textContent()) ?? '').replace('npm run demo', ''), []),
          ).toEqual([]);
        if (lang === 'en' && width === 1440)
          await page.screenshot({ path: join(screenshotDir(), 'inbox-first-steps.png') });
        await card.getByRole('link', { name: t.invite }).click();
        await page.waitForURL(/\/admin\/users$/);
        await page.goBack();
        await card.getByRole('link', { name: t.connect }).click();
        await page.waitForURL(/\/admin\/channels$/);
        await page.getByTestId('channel-new').waitFor();
        await page.context().close();

        const op = await ui.signedInPage({ width, height: 800, lang }, operator);
        await op.goto(`${ui.server.url}/inbox/mine`);
        await op.getByTestId('inbox-no-channel').getByText(t.operator).waitFor();
        expect(await op.getByTestId('inbox-getting-started').count()).toBe(0);
        await op.context().close();
      }
  }, 240_000);

  it('a new website chat says to paste its snippet, with a copy button, and shows no webhook URL or secret (en, ru)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = TEXT[lang];
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.server.url });
      await page.goto(`${ui.server.url}/admin/channels`);
      await page.getByTestId('channel-new').click();
      await page.getByTestId('channel-type').click();
      await page.getByRole('option', { name: t.widgetType }).click();
      await page.getByTestId('channel-name').fill(`Site chat ${lang}`);
      await page.getByTestId('channel-create').click();
      await created(page).waitFor();
      expect(await created(page).getByTestId('channel-created-message').textContent()).toMatch(t.widget);
      expect(await created(page).getByTestId('channel-webhook-url').count()).toBe(0);
      expect(await created(page).getByTestId('channel-secret').count()).toBe(0);
      const snippet = (await created(page).getByTestId('channel-snippet').textContent()) ?? '';
      expect(snippet).toMatch(/<script src="http:\/\/[^"]+\/widget\.js"/);
      const copy = created(page).getByRole('button', { name: t.copy });
      await copy.click();
      await created(page).getByRole('button', { name: t.copied }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
      if (lang === 'en') await page.screenshot({ path: join(screenshotDir(), 'channel-widget-created.png') });
      if (lang === 'ru')
        expect(
          untranslatedWords(
            (await created(page).getByTestId('channel-created-message').textContent()) ?? '',
            [],
          ),
        ).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('a new API channel says to hand over the webhook URL and the secret (en, ru)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = TEXT[lang];
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/admin/channels`);
      await page.getByTestId('channel-new').click();
      await page.getByTestId('channel-type').click();
      await page.getByRole('option', { name: t.apiType }).click();
      await page.getByTestId('channel-name').fill(`Backend ${lang}`);
      await page.getByTestId('channel-create').click();
      await created(page).waitFor();
      expect(await created(page).getByTestId('channel-created-message').textContent()).toBe(t.api);
      await created(page).getByTestId('channel-webhook-url').waitFor();
      await created(page).getByTestId('channel-secret').waitFor();
      expect(await created(page).getByTestId('channel-snippet').count()).toBe(0);
      await page.context().close();
    }
  }, 120_000);

  it('with channels, an empty "mine" points to the unassigned conversations (en, ru)', async () => {
    await ui.createApiChannel('Shop backend');
    await ui.inbound({ externalId: 'kim', name: 'Kim Lee' }, 'Is the shop open on Sunday?');
    for (const lang of ['en', 'ru'] as const) {
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/inbox/mine`);
      const empty = page.getByTestId('inbox-empty');
      await empty.waitFor();
      expect(await page.getByTestId('inbox-getting-started').count()).toBe(0);
      await empty.getByRole('link', { name: TEXT[lang].unassigned }).click();
      await page.waitForURL(/\/inbox\/unassigned$/);
      await page.getByTestId('conversation-row').filter({ hasText: 'Kim Lee' }).waitFor();
      await page.context().close();
    }
  }, 120_000);
});
