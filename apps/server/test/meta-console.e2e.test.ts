import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetaSandbox } from '../src/sandbox/meta-sandbox.ts';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
const HOUR = 3_600_000;

describe.skipIf(!runnable)('Messenger and Instagram in the console (Chromium)', () => {
  const ui = useConsole();
  let sandbox: MetaSandbox;
  let page: Page;

  beforeAll(async () => {
    sandbox = await new MetaSandbox().start();
    page = await ui.signedInPage();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('offers Messenger with its own fields in the channel form', async () => {
    await page.goto(`${ui.server.url}/admin/channels`);
    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-type').click();
    await page.getByRole('option', { name: 'Facebook Messenger' }).click();
    for (const key of ['pageId', 'pageAccessToken', 'appSecret', 'verifyToken', 'humanAgentTag'])
      await page.getByTestId(`channel-setting-${key}`).waitFor();
    await page.keyboard.press('Escape');
  });

  it('shows the webhook URL and verify token, and "not verified yet" until Meta’s handshake', async () => {
    const fbPage = sandbox.createPage({ name: 'Acme Page', humanAgent: true });
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call<{ id: string; connection: { webhookUrl: string; verifyToken: string } }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'messenger',
        name: 'Acme Messenger',
        settings: {
          pageId: fbPage.pageId,
          pageAccessToken: fbPage.pageAccessToken,
          appSecret: fbPage.appSecret,
          humanAgentTag: true,
          apiBaseUrl: sandbox.url,
        },
      },
    );
    expect(created.status).toBe(201);
    await page.goto(`${ui.server.url}/admin/channels`);
    const card = page.getByTestId('channel-card').filter({ hasText: 'Acme Messenger' });
    await card.getByTestId('channel-webhook-pending').waitFor();
    expect(await card.textContent()).toContain(created.json.connection.webhookUrl);
    expect(await card.textContent()).toContain('Acme Page');

    const { webhookUrl, verifyToken } = created.json.connection;
    expect(await sandbox.subscribe(fbPage.pageId, webhookUrl, verifyToken)).toBe(true);
    await page.reload();
    await card.waitFor();
    await expect.poll(() => card.getByTestId('channel-webhook-pending').count()).toBe(0);

    // Past the 24-hour window the composer offers Meta's HUMAN_AGENT tag, and the reply goes with it.
    const psid = sandbox.newCustomerId();
    sandbox.advance(-25 * HOUR);
    await sandbox.customerSends(fbPage.pageId, { from: psid, text: 'Where is my refund?' });
    sandbox.advance(25 * HOUR);
    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Where is my refund?' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.getByTestId('window-tag').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('window-tag').textContent()).toContain('HUMAN_AGENT');
    await page.getByTestId('composer-mode').getByText('Reply').click();
    await page.getByTestId('reply-blocked').waitFor();
    await page.getByTestId('window-tag-use').click();
    await page.getByTestId('composer-input').fill('It was sent today.');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'It was sent today.' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('delivered');
    expect(sandbox.sent(fbPage.pageId, psid)[0]!.body).toMatchObject({
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });

    // Someone answers in the Page inbox: shown as theirs, not as a copy of ours.
    await sandbox.pageInboxSends(fbPage.pageId, psid, 'Answered from Business Suite');
    const inbox = page.getByTestId('message').filter({ hasText: 'Answered from Business Suite' });
    await inbox.waitFor({ timeout: 10_000 });
    expect(await inbox.textContent()).toContain('Page inbox');
    expect(ui.problems).toEqual([]);
  });

  it('an Instagram story reply links to the story', async () => {
    const account = sandbox.createInstagramAccount({ username: 'acme.shop' });
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call<{ connection: { webhookUrl: string; verifyToken: string } }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'instagram',
        name: 'Acme Instagram',
        settings: {
          instagramAccountId: account.instagramAccountId,
          accessToken: account.accessToken,
          appSecret: account.appSecret,
          apiBaseUrl: sandbox.url,
        },
      },
    );
    expect(created.status).toBe(201);
    const { webhookUrl, verifyToken } = created.json.connection;
    expect(await sandbox.subscribe(account.instagramAccountId, webhookUrl, verifyToken)).toBe(true);
    await sandbox.customerSends(account.instagramAccountId, {
      from: sandbox.newCustomerId(),
      text: 'Love this one!',
      storyReply: {
        id: '18000000000000001',
        url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
      },
    });
    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Love this one!' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const story = page.getByTestId('message').filter({ hasText: 'Love this one!' }).getByTestId('story');
    await story.waitFor();
    expect(await story.textContent()).toContain('Replied to your story');
    expect(await story.getByRole('link').getAttribute('href')).toBe(
      'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
    );
    expect(ui.problems).toEqual([]);
  });
});
