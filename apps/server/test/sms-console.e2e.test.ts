import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioSandbox } from '../src/sandbox/twilio-sandbox.ts';
import { consoleSuiteRunnable, newOperatorContext, signIn, watchPage } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

const BUSINESS = '+15550001111';
const MARIA = '+15557654321';

describe.skipIf(!runnable)('SMS channel and opt-out in the console (Chromium)', () => {
  const ui = useConsole();
  let sandbox: TwilioSandbox;
  let page: Page;

  beforeAll(async () => {
    sandbox = await new TwilioSandbox().start();
    page = await ui.signedInPage();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('offers SMS (Twilio) with its own fields in the channel form', async () => {
    await page.goto(`${ui.server.url}/admin/channels`);
    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-type').click();
    await page.getByRole('option', { name: 'SMS (Twilio)' }).click();
    for (const key of ['accountSid', 'authToken', 'fromNumber', 'messagingServiceSid', 'keywordReplies'])
      await page.getByTestId(`channel-setting-${key}`).waitFor();
    expect(await page.getByLabel('Account SID').getAttribute('required')).not.toBeNull();
    await page.getByTestId('channel-setting-keywordReplies').click();
    await page.getByRole('option', { name: /^Switchboard/ }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('in Russian the form is the server’s descriptor: its labels, and the advanced API address creates a working channel', async () => {
    const acct = sandbox.createAccount('Acme RU');
    sandbox.addNumber(acct.accountSid, '+15550002222');
    const ctx = await newOperatorContext(ui.browser, { lang: 'ru' });
    const ru = watchPage(await ctx.newPage(), ui.problems);
    await signIn(ru, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await ru.goto(`${ui.server.url}/admin/channels`);
    await ru.getByTestId('channel-new').click();
    await ru.getByTestId('channel-type').click();
    await ru.getByRole('option', { name: 'СМС через Twilio' }).click();
    await ru.getByTestId('channel-name').fill('СМС RU');
    await ru.getByLabel('Идентификатор аккаунта (Account SID)').fill(acct.accountSid);
    await ru.getByLabel('Токен авторизации (Auth Token)').fill(acct.authToken);
    await ru.getByLabel('Номер отправителя').fill('+15550002222');
    // The sandbox's address is an advanced setting: hidden until asked for.
    expect(await ru.getByTestId('channel-setting-apiBaseUrl').count()).toBe(0);
    await ru.getByTestId('channel-advanced').click();
    await ru.getByLabel('Адрес API Twilio').fill(sandbox.url);
    await ru.getByTestId('channel-create').click();
    await ru.getByTestId('channel-created').waitFor();
    await ru
      .getByTestId('channel-card')
      .filter({ hasText: 'СМС RU' })
      .getByText('СМС через Twilio')
      .waitFor();
    await ctx.close();
  });

  it('after STOP the composer says why nothing can be sent, and the contact shows the opt-out', async () => {
    const acct = sandbox.createAccount('Acme SMS');
    sandbox.addNumber(acct.accountSid, BUSINESS);
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    // Created through the API (the form is covered above).
    const created = await admin.call<{ connection: { webhookUrl: string } }>('POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'Acme SMS',
      settings: { ...acct, fromNumber: BUSINESS, apiBaseUrl: sandbox.url },
    });
    expect(created.status).toBe(201);
    sandbox.setWebhook(acct.accountSid, BUSINESS, created.json.connection.webhookUrl);

    await page.goto(`${ui.server.url}/inbox/all`);
    await sandbox.customerTexts(acct.accountSid, {
      from: MARIA,
      to: BUSINESS,
      body: 'Is the sale still on?',
    });
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Is the sale still on?' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.getByTestId('composer-input').fill('Yes, until Sunday!');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'until Sunday' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('delivered');

    await sandbox.customerTexts(acct.accountSid, { from: MARIA, to: BUSINESS, body: 'STOP' });
    await page
      .getByTestId('system-text')
      .filter({ hasText: 'opted out of SMS by sending STOP' })
      .waitFor({ timeout: 10_000 });
    // No reload: the STOP moved the conversation's last inbound time, so the window is read again.
    // The composer starts on private notes; asking to reply shows why that is not possible.
    await page.getByTestId('composer-mode').getByText('Reply').click();
    const blocked = page.getByTestId('reply-blocked');
    await blocked.waitFor({ timeout: 10_000 });
    expect(await blocked.textContent()).toMatch(/opted out of messages on this channel/);

    await page.getByTestId('open-contact').click();
    const badge = page.getByTestId('contact-consent').locator('[data-status=opted_out]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('Opted out: SMS');
    expect(ui.problems).toEqual([]);
  });
});
