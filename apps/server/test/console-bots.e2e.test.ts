// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { useCallbackServer } from './fake-callback-server.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('Bots screen, the Bot view and "Take over" in Chromium', () => {
  const ui = useConsole();
  const botServer = useCallbackServer();
  let shop: { id: string; secret: string };
  let chat: { id: string; secret: string };

  beforeAll(async () => {
    shop = await ui.createApiChannel('Shop');
    chat = await ui.createApiChannel('Chat');
  });

  it('an admin adds an agent bot (token and secret once); its conversation shows in Bot, by its name; Take over', async () => {
    const page = await ui.signedInPage({ height: 1100 });
    await page.getByTestId('nav-bots').click();
    await page.getByRole('heading', { name: 'Bots' }).waitFor();
    await page.getByText('No bots yet.').waitFor();
    await page.getByTestId('bot-name').fill('Parcel bot');
    await page.getByTestId('bot-url').fill(botServer.url);
    await page.getByTestId('bot-channels').click({ force: true });
    await page.getByRole('option', { name: 'Shop', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('bot-save').click();
    const token = page.locator('[data-testid=bot-token]');
    await expect.poll(() => token.innerText(), { timeout: 15_000 }).toMatch(/^sbt_/);
    expect(await page.locator('[data-testid=bot-secret]').innerText()).toMatch(/^whsec_/);
    const row = page.locator('[data-testid=bots] tbody tr').first();
    await expect.poll(() => row.locator('[data-testid=bot-state]').textContent()).toBe('On');
    expect(await row.innerText()).toContain('Shop');
    const botToken = (await token.innerText()).trim();

    await ui.inbound({ externalId: 'ann', name: 'Ann Parcel' }, 'Where is my parcel?', shop);
    await expect.poll(async () => (await ui.conversations())[0]?.status, { timeout: 20_000 }).toBe('bot');
    await expect.poll(() => botServer.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const conv = (await ui.conversations())[0]!;
    const answered = await fetch(`${ui.server.url}/api/v1/conversations/${conv.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'It is on its way', clientMessageId: 'b1' }),
    });
    expect(answered.status).toBe(202);

    await page.getByTestId('view-bot').click();
    const listRow = page.getByTestId('conversation-row').filter({ hasText: 'Ann Parcel' });
    await listRow.click();
    const message = page.getByTestId('message').filter({ hasText: 'It is on its way' });
    await expect.poll(() => message.innerText(), { timeout: 15_000 }).toContain('Parcel bot');
    await page.getByTestId('action-take-over').click();
    await expect
      .poll(async () => (await ui.conversations()).find((c) => c.id === conv.id)?.status, { timeout: 15_000 })
      .toBe('open');
    expect((await ui.conversations()).find((c) => c.id === conv.id)?.assigneeId).not.toBeNull();
    await expect.poll(() => page.getByTestId('action-take-over').count()).toBe(0);
    expect(ui.problems).toEqual([]);
  }, 120_000);

  it('in Russian: a menu bot is built with the form (no JSON) and greets the customer', async () => {
    const page = await ui.signedInPage({ lang: 'ru', height: 1100 });
    await page.getByTestId('nav-bots').click();
    await page.getByRole('heading', { name: 'Боты' }).waitFor();
    await page.getByText('Меню (без кода)').click();
    await page.getByTestId('bot-name').fill('Меню магазина');
    await page.getByTestId('bot-channels').click({ force: true });
    await page.getByRole('option', { name: 'Chat', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('bot-greeting').fill('Здравствуйте! Выберите:');
    await page.getByTestId('bot-option-0-title').fill('Часы работы');
    await page.getByTestId('bot-option-0-reply').fill('Мы работаем с 9 до 18');
    await page.getByTestId('bot-add-option').click();
    await page.getByTestId('bot-option-1-title').fill('Оператор');
    await page.getByTestId('bot-option-1-action').click();
    await page.getByRole('option', { name: 'Передать людям', exact: true }).click();
    const main = await page.locator('main').innerText();
    expect(
      untranslatedWords(main, [
        'Shop',
        'Chat',
        'Parcel bot',
        botServer.url,
        'https://bot.example.com/switchboard',
        'API',
        // The default hand-off words include English ones on purpose: customers write both.
        'operator',
        'human',
      ]),
    ).toEqual([]);
    await page.getByTestId('bot-save').click();
    await expect.poll(() => page.locator('[data-testid=bots] tbody tr').count(), { timeout: 15_000 }).toBe(2);
    const bots = (
      await ui.admin.call<{ items: Array<{ kind: string; menu: unknown; channelIds: string[] }> }>(
        'GET',
        '/api/v1/bots',
      )
    ).json.items;
    expect(bots.find((b) => b.kind === 'menu')).toMatchObject({
      channelIds: [chat.id],
      menu: {
        greeting: 'Здравствуйте! Выберите:',
        options: [
          { title: 'Часы работы', action: 'reply', reply: 'Мы работаем с 9 до 18' },
          { title: 'Оператор', action: 'handoff' },
        ],
      },
    });

    await ui.inbound({ externalId: 'ivan', name: 'Иван Петров' }, 'Добрый день', chat);
    await page.getByTestId('view-bot').click();
    await page.getByTestId('conversation-row').filter({ hasText: 'Иван Петров' }).click();
    const greeting = page.getByTestId('message').filter({ hasText: 'Здравствуйте! Выберите:' });
    await expect.poll(() => greeting.innerText(), { timeout: 15_000 }).toContain('1. Часы работы');
    expect(await greeting.innerText()).toContain('Меню магазина');
    await page.getByRole('button', { name: 'Перехватить' }).waitFor();
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
