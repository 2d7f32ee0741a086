import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL_CUSTOMER, DEMO_SUPPORT_ADDRESS, EmailSandbox } from '../src/sandbox/email-sandbox.ts';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('E-mail conversations in the console (Chromium)', () => {
  const ui = useConsole();
  let mail: EmailSandbox;
  let page: Page;

  beforeAll(async () => {
    mail = await new EmailSandbox().start();
    page = await ui.signedInPage();
    const created = await ui.admin.call<{ connection: { webhookUrl: string } }>('POST', '/api/v1/channels', {
      type: 'email',
      name: 'Support mail',
      settings: {
        address: DEMO_SUPPORT_ADDRESS,
        smtp: { host: '127.0.0.1', port: mail.port, secure: false },
        inbound: 'mailgun',
        mailgunSigningKey: mail.signingKey,
      },
    });
    expect(created.status).toBe(201);
    mail.routeUrl = created.json.connection.webhookUrl;
  }, 60_000);

  afterAll(async () => {
    await mail?.stop();
  });

  it('an admin adds an e-mail channel in the form; its logins are tried first', async () => {
    await page.goto(`${ui.server.url}/admin/channels`);
    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-type').click();
    await page.getByRole('option', { name: 'E-mail' }).click();
    await page.getByTestId('channel-name').fill('Sales mail');
    await page.getByLabel('Support address').fill('sales@demo-shop.test');
    const smtp = page.getByTestId('channel-setting-smtp');
    await smtp.fill(JSON.stringify({ host: '127.0.0.1', port: 1, secure: false }));
    await page.getByTestId('channel-setting-inbound').click();
    await page.getByRole('option', { name: 'Mailgun inbound route' }).click();
    await page.getByLabel('Mailgun webhook signing key').fill('key-sales-signing-0123456789');
    await page.getByTestId('channel-create').click();
    // Nothing listens on port 1: the SMTP login fails, and the form says so.
    await page.getByText(/settings\.smtp: the connection was refused/).waitFor({ timeout: 15_000 });
    await smtp.fill(JSON.stringify({ host: '127.0.0.1', port: mail.port, secure: false }));
    await page.getByTestId('channel-create').click();
    await page.getByTestId('channel-created').waitFor({ timeout: 15_000 });
    await page.getByTestId('channel-card').filter({ hasText: 'Sales mail' }).waitFor();
  }, 60_000);

  it('shows a mail as a mail, and the reply goes out with the subject and Cc typed', async () => {
    const t = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mail.port,
      secure: false,
      ignoreTLS: true,
    });
    await t.sendMail({
      from: DEMO_EMAIL_CUSTOMER,
      to: DEMO_SUPPORT_ADDRESS,
      cc: 'Pat Partner <partner@mail.test>',
      subject: 'Broken zipper',
      text: 'The zipper broke on day two.\n\nOn Mon, 7 Dec 2026 at 09:00, Demo Shop <support@demo-shop.test> wrote:\n> Your order has shipped.',
      html: '<p>The <b>zipper</b> broke on day two.</p><script>parent.document.title = "owned"</script><img src="https://tracker.test/p.gif">',
    });
    t.close();

    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'The zipper broke' });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const msg = page.getByTestId('message').filter({ hasText: 'The zipper broke' });
    await msg.getByTestId('email-subject').filter({ hasText: 'Broken zipper' }).waitFor();
    const lines = msg.getByTestId('email-address-line');
    await expect
      .poll(() => lines.allTextContents())
      .toEqual([
        'From: Demo Customer <customer@mail.test>',
        'To: support@demo-shop.test',
        'Cc: Pat Partner <partner@mail.test>',
      ]);
    // The quoted history is folded away until asked for.
    expect(await msg.getByTestId('email-quoted').isVisible()).toBe(false);
    await msg.getByTestId('email-quoted-toggle').click();
    await expect.poll(() => msg.getByTestId('email-quoted').isVisible()).toBe(true);
    expect(await msg.getByTestId('email-quoted').textContent()).toMatch(
      /wrote:\s*> Your order has shipped\./,
    );

    // The formatted version, on request, in a frame where nothing runs.
    await msg.getByTestId('email-html-toggle').click();
    const frame = page.frameLocator('[data-testid=email-html]');
    await frame.locator('b').filter({ hasText: 'zipper' }).waitFor();
    expect(await frame.locator('script, img').count()).toBe(0);
    expect(await page.title()).not.toBe('owned');

    // The composer offers subject and Cc for an e-mail conversation's reply.
    await page.getByTestId('composer-mode').getByText('Reply').click();
    await page.getByTestId('email-subject-input').fill('Your zipper replacement');
    await page.getByTestId('email-cc-input').fill('not an address');
    await page.getByText('Not an e-mail address: not').waitFor();
    await page.getByTestId('email-cc-input').fill('boss@mail.test');
    await page.getByTestId('composer-input').fill('A new one is on its way.');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'A new one is on its way.' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('sent');
    await reply.getByTestId('email-subject').filter({ hasText: 'Your zipper replacement' }).waitFor();
    expect(mail.mailbox.at(-1)).toMatchObject({ from: 'business', subject: 'Your zipper replacement' });
    expect(mail.received.at(-1)?.rcpts.sort()).toEqual(['boss@mail.test', 'customer@mail.test']);
    expect(ui.problems).toEqual([]);
  }, 120_000);
});
