// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads, which is what these checks are about
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  screenshotDir,
  signIn,
  untranslatedWords,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import { FakeCallbackServer } from './fake-callback-server.ts';

const runnable = consoleSuiteRunnable();

describe.skipIf(!runnable)('Broadcasts in the console (Chromium)', () => {
  const ui = useConsole();
  let callbacks: FakeCallbackServer;
  let page: Page;
  const shots = screenshotDir();
  const sue = { email: 'sue@example.com', password: 'sue-password-1', name: 'Sue Supervisor' };
  const customers = [
    { externalId: 'cust-maria', name: 'Maria Lopez' },
    { externalId: 'cust-ivan', name: 'Ivan Petrov' },
    { externalId: 'cust-chen', name: 'Chen Wei' },
  ];
  const channelName = 'Web shop';
  const label = 'VIP';
  const text = 'Our spring sale starts today: 20% off for you';
  const broadcastName = 'Spring sale';
  const contactIds = new Map<string, string>();
  let broadcastId = '';

  beforeAll(async () => {
    callbacks = await new FakeCallbackServer().start();
    expect((await ui.admin.call('POST', '/api/v1/users', { ...sue, role: 'supervisor' })).status).toBe(201);
    await ui.createApiChannel(channelName, { callbackUrl: callbacks.url });
    for (const c of customers) await ui.inbound(c, `Hello from ${c.name}`);
    // The worker files the messages in the background: wait until all three conversations exist.
    const convs = await ui.awaitConversations(3, '?limit=10');
    expect(convs).toHaveLength(3);
    for (const c of convs) contactIds.set(c.contact.name, c.contact.id);
    // Maria and Ivan are VIPs; Ivan has opted out of the business's messages on this channel.
    for (const name of ['Maria Lopez', 'Ivan Petrov'])
      expect(
        (await ui.admin.call('POST', `/api/v1/contacts/${contactIds.get(name)}/labels`, { label })).status,
      ).toBe(200);
    const out = await ui.admin.call('PUT', `/api/v1/contacts/${contactIds.get('Ivan Petrov')}/consent`, {
      optIn: false,
      source: 'asked by phone',
    });
    expect(out.status).toBe(200);
    callbacks.received.length = 0;
    page = await ui.signedInPage(undefined, sue);
  }, 60_000);

  afterAll(async () => {
    await callbacks?.stop();
  });

  it('shows an unknown pasted contact id at its field', async () => {
    await page.getByTestId('nav-broadcasts').click();
    await page.getByText('No broadcasts yet.').waitFor();
    await page.getByTestId('broadcast-new').click();
    await page.getByTestId('broadcast-channel').click();
    await page.getByRole('option', { name: channelName }).click();
    await page.getByLabel('Contact ids').fill(`${contactIds.get('Chen Wei')}\nno-such-contact`);
    expect(await page.getByTestId('broadcast-ids-count').innerText()).toBe('Ids: 2');
    await page.getByLabel('Text of the message').fill(text);
    await page.getByTestId('broadcast-review').click();
    const error = page.getByText('Not contacts of this account: no-such-contact');
    await error.waitFor();
    expect(await page.getByLabel('Contact ids').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Contact ids').fill('');
    await expect.poll(() => error.count()).toBe(0);
  });

  it('sends to a label through the form: a preview, one broadcast for a double click, and the result', async () => {
    await page.getByLabel('Name (for the report)').fill(broadcastName);
    await page.getByTestId('broadcast-label').fill('vi');
    const option = page.getByRole('option', { name: /VIP/ });
    await option.waitFor();
    expect(await option.innerText()).toMatch(/VIP\s*contacts: 2/);
    await option.click();
    expect(await page.getByTestId('broadcast-label').inputValue()).toBe(label);
    expect(await page.getByTestId('broadcast-rules').innerText()).toMatch(/messaging window.*opted out/s);
    await page.getByTestId('broadcast-review').click();

    const confirm = page.getByTestId('broadcast-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('broadcast-confirm-total').innerText()).toBe('Recipients: 2');
    const estimate = await confirm.getByTestId('broadcast-confirm-estimate').innerText();
    expect(estimate).toContain('would get the message: 1');
    expect(estimate).toContain('opted out: 1');
    expect(callbacks.received).toHaveLength(0);
    // A double click on Send: the client id makes it one broadcast.
    await confirm.getByTestId('broadcast-send').dblclick();
    await page.waitForURL((u) => /^\/broadcasts\/(?!new$)[^/]+$/.test(u.pathname));
    broadcastId = page.url().split('/').pop()!;

    const status = page.getByTestId('broadcast-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await page.getByTestId('outcome-queued').getAttribute('data-value')).toBe('1');
    expect(await page.getByTestId('outcome-opted_out').getAttribute('data-value')).toBe('1');
    expect(await page.getByTestId('outcome-window_closed').getAttribute('data-value')).toBe('0');
    await expect
      .poll(() => page.getByTestId('delivery-sent').getAttribute('data-value'), { timeout: 10_000 })
      .toBe('1');
    expect(await page.getByTestId('broadcast-text-sent').innerText()).toBe(text);

    const list = await ui.admin.call<{ items: { id: string }[] }>('GET', '/api/v1/broadcasts');
    expect(list.json.items.map((b) => b.id)).toEqual([broadcastId]);
    expect(callbacks.received).toHaveLength(1);
    const sent = callbacks.received[0]!.body as {
      message: { text: string };
      contact: { externalId: string };
    };
    expect(sent).toMatchObject({ message: { text }, contact: { externalId: 'cust-maria' } });

    // Who did not get it, and why.
    const rows = page.getByTestId('recipient-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.screenshot({ path: join(shots, 'broadcasts.png'), fullPage: true });
    await page.getByTestId('recipients-filter').click();
    await page.getByRole('option', { name: 'Opted out' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toMatch(/Ivan Petrov\s+Opted out/);
    await page.getByTestId('recipients-filter').click();
    await page.getByRole('option', { name: 'Queued' }).click();
    await expect.poll(() => rows.first().innerText()).toMatch(/Maria Lopez\s+Queued\s+Sent/);

    // The list shows it finished, with its figures.
    await page.getByTestId('nav-broadcasts').click();
    const row = page.getByTestId('broadcast-row').filter({ hasText: broadcastName });
    await row.waitFor();
    expect(await row.getByTestId('broadcast-status').getAttribute('data-status')).toBe('done');
    expect(await row.getByTestId('broadcast-figures').innerText()).toMatch(/Queued: 1\s+Refused: 1/);
    expect(await row.getByTestId('broadcast-progress').getAttribute('aria-valuenow')).toBe('100');

    // A recipient's row opens their conversation, with the broadcast in it.
    await row.getByRole('link', { name: `Open the broadcast ${broadcastName}` }).click();
    await page.getByRole('link', { name: 'Open the conversation with Maria Lopez' }).click();
    await page.waitForURL(/\/inbox\/all\//);
    await page.getByTestId('message').filter({ hasText: 'spring sale starts today' }).waitFor();
    expect(ui.problems).toEqual([]);
  });

  it('reads in Russian with no English left, and fits a 390 px phone', async () => {
    const ctx = await newOperatorContext(ui.browser, { width: 390, height: 844, lang: 'ru' });
    const phone = watchPage(await ctx.newPage(), ui.problems);
    await signIn(phone, ui.server.url, sue.email, sue.password);
    const data = [
      broadcastName,
      channelName,
      label,
      text,
      ...customers.map((c) => c.name),
      ui.server.admin.name,
      sue.name,
      'Acme Support',
      'SS', // Sue's initials on her avatar
    ];
    const noOverflow = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await phone.goto(`${ui.server.url}/broadcasts`);
    await phone.getByTestId('broadcast-row').waitFor();
    expect(untranslatedWords(await phone.locator('body').innerText(), data)).toEqual([]);
    expect(await noOverflow()).toBe(true);

    await phone.goto(`${ui.server.url}/broadcasts/${broadcastId}`);
    await phone.getByTestId('recipient-row').first().waitFor();
    expect(await phone.getByTestId('broadcast-status').textContent()).toBe('Завершена');
    expect(untranslatedWords(await phone.locator('body').innerText(), data)).toEqual([]);
    expect(await noOverflow()).toBe(true);

    await phone.goto(`${ui.server.url}/broadcasts/new`);
    await phone.getByTestId('broadcast-form').waitFor();
    await phone.getByTestId('broadcast-review').click();
    // Nothing chosen: each missing field says so, in Russian.
    await phone.getByText('Выберите метку или вставьте идентификаторы контактов.').waitFor();
    expect(untranslatedWords(await phone.locator('body').innerText(), data)).toEqual([]);
    expect(await noOverflow()).toBe(true);
    await ctx.close();
    expect(ui.problems).toEqual([]);
  });

  it('on WhatsApp, a template reaches a customer whose 24-hour window closed; text would not', async () => {
    const wa = await new WhatsAppSandbox().start();
    try {
      const number = wa.createNumber();
      wa.addTemplate(number.phoneNumberId, { name: 'spring_sale', language: 'en_US', bodyParameters: 1 });
      const ch = await ui.admin.call<{ id: string; connection: { webhookUrl: string; verifyToken: string } }>(
        'POST',
        '/api/v1/channels',
        {
          type: 'whatsapp',
          name: 'WhatsApp shop',
          settings: {
            phoneNumberId: number.phoneNumberId,
            accessToken: number.accessToken,
            appSecret: number.appSecret,
            apiBaseUrl: wa.url,
          },
        },
      );
      expect(ch.status).toBe(201);
      const { webhookUrl, verifyToken } = ch.json.connection;
      expect(await wa.subscribe(number.phoneNumberId, webhookUrl, verifyToken)).toBe(true);
      // Olga wrote 26 hours ago: WhatsApp's window is closed.
      wa.advance(-26 * 3_600_000);
      await wa.customerSends(number.phoneNumberId, {
        from: '79990001122',
        name: 'Olga Smirnova',
        content: { text: 'Do you sell wholesale?' },
      });
      wa.advance(26 * 3_600_000);
      type Convs = { items: { contact: { id: string } }[] };
      const path = `/api/v1/conversations?channel=${ch.json.id}`;
      let convs = await ui.admin.call<Convs>('GET', path);
      for (let i = 0; i < 100 && convs.json.items.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        convs = await ui.admin.call<Convs>('GET', path);
      }
      const olga = convs.json.items[0]!.contact.id;
      expect(
        (await ui.admin.call('POST', `/api/v1/contacts/${olga}/labels`, { label: 'wholesale' })).status,
      ).toBe(200);

      await page.goto(`${ui.server.url}/broadcasts/new`);
      await page.getByTestId('broadcast-channel').click();
      await page.getByRole('option', { name: 'WhatsApp shop' }).click();
      await page.getByTestId('broadcast-label').fill('wholesale');
      await page.getByLabel('Text of the message').fill('Wholesale prices are out');
      await page.getByTestId('broadcast-review').click();
      const estimate = page.getByTestId('broadcast-confirm-estimate');
      await estimate.waitFor();
      expect(await estimate.innerText()).toMatch(
        /would get the message: 0\s+outside the messaging window: 1/,
      );

      await page.getByTestId('broadcast-edit').click();
      await page.getByLabel('WhatsApp template').check();
      await page.getByLabel('Template name').fill('spring_sale');
      await page.getByLabel('Language code').fill('en_US');
      await page.getByLabel('Variables').fill('Olga');
      await page.getByTestId('broadcast-review').click();
      await expect.poll(() => estimate.innerText()).toBe('would get the message: 1');
      await page.getByTestId('broadcast-send').click();
      await page.waitForURL((u) => /^\/broadcasts\/(?!new$)[^/]+$/.test(u.pathname));
      const status = page.getByTestId('broadcast-status');
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
      expect(await page.getByTestId('outcome-queued').getAttribute('data-value')).toBe('1');
      await expect.poll(() => wa.sent(number.phoneNumberId).length, { timeout: 10_000 }).toBe(1);
      const sent = wa.sent(number.phoneNumberId)[0]!;
      expect(sent).toMatchObject({ to: '79990001122', type: 'template' });
      expect(JSON.stringify(sent.body)).toContain('Olga');
      await page.getByText('Template spring_sale (en_US)').waitFor();
      expect(ui.problems).toEqual([]);
    } finally {
      await wa.stop();
    }
  });

  it('is not offered to operators', async () => {
    const op = { email: 'olga@example.com', password: 'operator-password-1', name: 'Olga Operator' };
    expect((await ui.admin.call('POST', '/api/v1/users', { ...op, role: 'operator' })).status).toBe(201);
    const ctx = await newOperatorContext(ui.browser);
    const p = watchPage(await ctx.newPage(), ui.problems);
    await signIn(p, ui.server.url, op.email, op.password);
    expect(await p.getByTestId('nav-broadcasts').count()).toBe(0);
    await p.goto(`${ui.server.url}/broadcasts`);
    await p.getByText('Only supervisors and administrators can send broadcasts.').waitFor();
    await ctx.close();
  });
});
