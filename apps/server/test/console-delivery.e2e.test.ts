// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  postInbound,
  seedHistory,
  signIn,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { useCallbackServer } from './fake-callback-server.ts';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';

const runnable = consoleSuiteRunnable();

/**
 * Replies and what becomes of them: templates, attachments, refusals and Retry, long histories, the
 * inbox export and automatic messages, on an API channel whose callback is a local receiver.
 */
describe.skipIf(!runnable)('Replies, attachments and delivery in Chromium', () => {
  const ui = useConsole();
  const callbacks = useCallbackServer();
  let channel: { id: string; secret: string };
  let conversationId = '';
  // Alice the admin, reading the console in Russian.
  let alice: Page;

  beforeAll(async () => {
    channel = await ui.createApiChannel('Website chat', { callbackUrl: callbacks.url });
    await ui.inbound(
      { externalId: 'cust-maria', name: 'Maria Lopez' },
      'Hello, my order #1042 has not arrived yet',
    );
    conversationId = (await ui.awaitConversations(1))[0]!.id;
    alice = await ui.signedInPage({ lang: 'ru' });
  }, 60_000);

  it('fills a template for the customer from "/" in the reply box', async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call('POST', '/api/v1/templates', {
      name: 'Greeting',
      shortcut: 'hello',
      text: 'Hello {{contact.first_name}}, this is {{operator.name}}. Your e-mail: {{contact.email}}',
    });
    expect(created.status).toBe(201);
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    const input = alice.getByTestId('composer-input');
    await input.waitFor();
    await input.pressSequentially('/hel');
    await alice
      .getByTestId('template-list')
      .getByRole('option', { name: /\/hello/ })
      .waitFor();
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Hello Maria, this is Alice Admin. Your e-mail: ');
    // Maria left no e-mail: the operator is told before sending.
    expect(await alice.getByTestId('unresolved').innerText()).toContain('contact.email');
    await input.fill('');
  });

  it('shows attachments, and a reply the business system refused with its reason', async () => {
    const files = `${callbacks.url.replace('/callback', '')}/files`;
    const post = (attachments: { url: string; name: string; mimeType: string }[]) => {
      const body = JSON.stringify({
        eventId: `evt-files-${attachments.length}`,
        contact: { externalId: 'cust-files', name: 'Files Customer' },
        message: {
          externalId: `msg-files-${attachments.length}`,
          text: 'Photo and invoice attached',
          attachments,
        },
      });
      return fetch(`${ui.server.url}/webhooks/api/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-switchboard-signature': signApiBody(channel.secret, body),
        },
        body,
      });
    };
    const good = [
      { url: `${files}/photo.png`, name: 'photo.png', mimeType: 'image/png' },
      { url: `${files}/invoice.pdf`, name: 'invoice.pdf', mimeType: 'application/pdf' },
    ];
    // A script URL never gets in: the API channel refuses the whole event.
    const evil = await post([
      ...good,
      { url: 'javascript:alert(1)', name: 'evil.txt', mimeType: 'text/plain' },
    ]);
    expect(evil.status).toBe(400);
    expect((await post(good)).status).toBe(200);
    await alice.goto(`${ui.server.url}/inbox/all`);
    await alice.getByTestId('conversation-row').filter({ hasText: 'Files Customer' }).click();
    const msg = alice.getByTestId('message').filter({ hasText: 'Photo and invoice attached' });
    await msg.waitFor();
    // The customer's links are fetched by the server through the SSRF guard, so the operator's browser
    // never loads them by itself: the files are named, and no image comes from the customer's host.
    await expect.poll(() => msg.innerHTML()).toContain('invoice.pdf');
    await expect.poll(() => msg.innerHTML()).toContain('photo.png');
    expect(await msg.locator('img:not([src^="/api/v1/attachments/"])').count()).toBe(0);
    expect(await msg.locator('a[href^="javascript"]').count()).toBe(0);

    callbacks.script.push({ status: 400, body: '{"error":"unknown customer"}' });
    await alice.getByTestId('composer-input').fill('Thanks, checking the invoice');
    await alice.getByTestId('composer-input').press('Enter');
    const reply = alice.getByTestId('message').filter({ hasText: 'Thanks, checking the invoice' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('failed');
    expect(await reply.getByTestId('delivery').innerText()).toBe(
      'Не доставлено: ваша система отклонила сообщение',
    );
    // The provider's own words stay available on hover.
    expect(await reply.getByTestId('delivery').getAttribute('title')).toContain('HTTP 400');
    expect(ui.problems).toEqual([]);
  });

  it('pages a long history in and keeps only what is visible in the page', async () => {
    await postInbound(
      ui.server,
      channel,
      { externalId: 'cust-long', name: 'Long History' },
      'The newest message',
    );
    const row = alice.getByTestId('conversation-row').filter({ hasText: 'Long History' });
    await alice.goto(`${ui.server.url}/inbox/all`);
    await row.waitFor({ timeout: 10_000 });
    const id = (await row.getAttribute('data-conversation-id'))!;
    const total = 1000;
    await seedHistory(ui.server, id, total);
    await alice.goto(`${ui.server.url}/inbox/all/${id}`);
    const list = alice.getByTestId('message-list');
    await alice.getByTestId('message-text').filter({ hasText: 'The newest message' }).waitFor();

    // Scroll to the top again and again: each time an older page arrives, and the message that was
    // the oldest one shown stays in view (no jump), until the start of the conversation.
    const label = (n: number) => `History message ${String(n).padStart(4, '0')}`;
    const started = Date.now();
    // The newest page holds the new message and the 49 latest history messages.
    let oldest = total - 48;
    while (oldest > 1) {
      const next = Math.max(1, oldest - 50);
      await list.evaluate((el) => {
        el.scrollTop = 0;
      });
      // The message just above the anchor is on the new page (rendered as overscan above the view).
      const above = alice.getByTestId('message-text').filter({ hasText: label(oldest - 1) });
      await above.waitFor({ state: 'attached' });
      const anchor = alice.getByTestId('message-text').filter({ hasText: label(oldest) });
      const [box, view] = await Promise.all([anchor.boundingBox(), list.boundingBox()]);
      expect(
        box && view && box.y >= view.y - 5 && box.y + box.height <= view.y + view.height + 5,
        label(oldest),
      ).toBe(true);
      oldest = next;
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    await alice.getByTestId('message-text').filter({ hasText: 'History message 0001' }).waitFor();
    // All 1,001 messages are loaded, yet only a screenful (plus overscan) is in the DOM.
    expect(await alice.getByTestId('message').count()).toBeLessThan(60);

    // Opened at an old message (as search does): pages back to it and shows it marked.
    const target = await ui.server.ctx.db.kysely
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', id)
      .where('body', '=', label(120))
      .executeTakeFirstOrThrow();
    await alice.goto(`${ui.server.url}/inbox/all/${id}?m=${target.id}`);
    const marked = alice.locator('[data-testid=message][data-highlight]');
    await marked.waitFor({ timeout: 15_000 });
    expect(await marked.innerText()).toContain(label(120));
    const [box, view] = await Promise.all([marked.boundingBox(), list.boundingBox()]);
    expect(box && view && box.y >= view.y && box.y + box.height <= view.y + view.height).toBe(true);
  }, 60_000);

  it('exports the inbox with its filters and offers the finished XLSX for download', async () => {
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/inbox/all?status=any&channel=${channel.id}`);
    await page.getByTestId('conversation-row').first().waitFor();
    await page.getByTestId('export-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('One row per message').click();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/exports')),
      dialog.getByTestId('export-start').click(),
    ]);
    // "All", any status: only the channel narrows the export, as it narrows the list.
    expect(request.postDataJSON()).toEqual({
      kind: 'messages',
      format: 'xlsx',
      filter: { channel: channel.id },
    });
    const link = dialog.getByTestId('export-download');
    await link.waitFor({ timeout: 15_000 });
    expect(await dialog.getByTestId('export-done').innerText()).toMatch(/Ready: [1-9]\d* rows/);
    const res = await page.request.get(`${ui.server.url}${await link.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect((await res.body()).subarray(0, 2).toString()).toBe('PK');
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });

  it('sends a reply the callback refused again with Retry', async () => {
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await postInbound(ui.server, channel, { externalId: 'cust-retry', name: 'Rita Retry' }, 'Any news?');
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.getByTestId('conversation-row').filter({ hasText: 'Rita Retry' }).click();
    await page.getByTestId('message-text').filter({ hasText: 'Any news?' }).waitFor();
    callbacks.script.push({ status: 400, body: '{"error":"unknown customer"}' });
    await page.getByTestId('composer-input').fill('Shipped today');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'Shipped today' });
    const status = () => reply.getByTestId('delivery').getAttribute('data-status');
    await expect.poll(status, { timeout: 10_000 }).toBe('failed');
    const received = callbacks.received.length;
    // The callback answers 200 again (the script is used up); Retry re-queues the same message.
    await reply.getByTestId('delivery-retry').click();
    await expect.poll(status, { timeout: 10_000 }).toMatch(/sent|delivered/);
    expect(await reply.getByTestId('delivery-retry').count()).toBe(0);
    expect(callbacks.received.length).toBe(received + 1);
    expect((callbacks.received.at(-1)!.body as { message: { text: string } }).message.text).toBe(
      'Shipped today',
    );
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });

  it('marks automatic messages as such, sent to the customer like a reply', async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const auto = { enabled: true, text: { en: 'Hello from the robot' } };
    const set = await admin.call('PUT', `/api/v1/channels/${channel.id}/routing`, {
      automaticMessages: { greeting: auto, offline: auto },
    });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await postInbound(ui.server, channel, { externalId: 'cust-auto', name: 'Otto Auto' }, 'Anyone there?');
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.getByTestId('conversation-row').filter({ hasText: 'Otto Auto' }).click();
    const robot = page.getByTestId('message').filter({ hasText: 'Hello from the robot' });
    await robot.waitFor({ timeout: 10_000 });
    expect(await robot.getAttribute('data-kind')).toBe('auto');
    expect(await robot.getByTestId('automatic-badge').textContent()).toMatch(
      /^Automatic (greeting|offline reply)$/,
    );
    await expect
      .poll(() => robot.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toMatch(/sent|delivered/);
    const reset = await admin.call('PUT', `/api/v1/channels/${channel.id}/routing`, {});
    expect(reset.status).toBe(200);
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });
});
