import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VkSandbox } from '../src/sandbox/vk-sandbox.ts';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
const CUSTOMER = 3_300_001;

describe.skipIf(!runnable)('VK in the console (Chromium)', () => {
  const ui = useConsole();
  let sandbox: VkSandbox;
  let page: Page;

  beforeAll(async () => {
    sandbox = await new VkSandbox().start();
    sandbox.addUser({ id: CUSTOMER, first_name: 'Ольга', last_name: 'Иванова' });
    page = await ui.signedInPage();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('offers VK with its own fields in the channel form', async () => {
    await page.goto(`${ui.server.url}/admin/channels`);
    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-type').click();
    await page.getByRole('option', { name: 'VK community' }).click();
    for (const key of ['groupId', 'accessToken', 'secret', 'confirmationCode'])
      await page.getByTestId(`channel-setting-${key}`).waitFor();
    await page.keyboard.press('Escape');
  });

  it('connects, is confirmed by VK, and an operator talks with a VK customer; an admin’s reply in VK shows as theirs', async () => {
    const group = sandbox.createCommunity({ name: 'Acme VK', screenName: 'acme_vk' });
    const created = await ui.admin.call<{ connection: { webhookUrl: string } }>('POST', '/api/v1/channels', {
      type: 'vk',
      name: 'Acme VK channel',
      settings: {
        groupId: group.groupId,
        accessToken: group.accessToken,
        secret: group.secret,
        confirmationCode: group.confirmationCode,
        apiBaseUrl: sandbox.apiBaseUrl,
      },
    });
    expect(created.status).toBe(201);
    await page.goto(`${ui.server.url}/admin/channels`);
    const card = page.getByTestId('channel-card').filter({ hasText: 'Acme VK channel' });
    await card.getByTestId('channel-webhook-pending').waitFor();
    expect(await card.textContent()).toContain(created.json.connection.webhookUrl);
    expect(await card.textContent()).toContain('https://vk.com/acme_vk');
    expect(await sandbox.setCallbackServer(group.groupId, created.json.connection.webhookUrl)).toBe(true);
    await page.reload();
    await card.waitFor();
    await expect.poll(() => card.getByTestId('channel-webhook-pending').count()).toBe(0);

    await sandbox.customerWrites(group.groupId, CUSTOMER, { text: 'Здравствуйте, есть размер M?' });
    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Здравствуйте, есть размер M?' });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Ольга Иванова');
    await row.click();
    await page.getByTestId('composer-input').fill('Да, есть в наличии');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'Да, есть в наличии' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('sent');
    await expect
      .poll(() => sandbox.dialog(group.groupId, CUSTOMER).map((m) => m.text), { timeout: 15_000 })
      .toEqual(['Здравствуйте, есть размер M?', 'Да, есть в наличии']);

    await sandbox.adminWrites(group.groupId, CUSTOMER, 'Ответ менеджера из ВКонтакте');
    const fromVk = page.getByTestId('message').filter({ hasText: 'Ответ менеджера из ВКонтакте' });
    await fromVk.waitFor({ timeout: 15_000 });
    expect(await fromVk.textContent()).toContain('VK community');
    // Our own reply's echo did not become a second copy.
    await expect.poll(() => reply.count()).toBe(1);
    expect(ui.problems).toEqual([]);
  }, 90_000);
});
