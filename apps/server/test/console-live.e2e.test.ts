// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_DIST } from '../src/modules/channels/widget/widget-script.routes.ts';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import {
  CHROMIUM,
  consoleBuilt,
  ensureConsoleBuilt,
  newOperatorContext,
  postInbound,
  screenshotDir,
  signIn,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { waitUntil } from './node-services.ts';

function ensureWidgetBuilt(): void {
  const script = join(import.meta.dirname, '../../widget/scripts/ensure-built.mjs');
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the widget (apps/widget) failed');
}

if (existsSync(CHROMIUM)) {
  ensureConsoleBuilt();
  ensureWidgetBuilt();
}
const runnable = existsSync(CHROMIUM) && consoleBuilt() && existsSync(join(WIDGET_DIST, 'widget.js'));
if (!runnable && process.env.CI) throw new Error(`Console browser tests need ${CHROMIUM} and built apps`);

const DAY = 86_400_000;
const CUSTOMER = '491701234567';

/** A shop's page on another origin with the site widget of `channelId`. */
async function startShop(
  serverUrl: string,
  channelId: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Shop</h1><script src="${serverUrl}/widget.js" data-channel="${channelId}" data-lang="en" async></script>
</body></html>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.skipIf(!runnable)('Console live activity in Chromium', () => {
  const ui = useConsole();
  let sandbox: WhatsAppSandbox;
  let aliceCtx: BrowserContext;
  let bobCtx: BrowserContext;
  let alice: Page;
  let bob: Page;
  const shots = screenshotDir();
  const bobUser = { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob Operator' };
  let apiChannel: { id: string; secret: string };
  let apiConversation = '';

  beforeAll(async () => {
    sandbox = await new WhatsAppSandbox().start();
    expect((await ui.admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' })).status).toBe(201);
    aliceCtx = await newOperatorContext(ui.browser);
    bobCtx = await newOperatorContext(ui.browser);
    alice = watchPage(await aliceCtx.newPage(), ui.problems);
    bob = watchPage(await bobCtx.newPage(), ui.problems);
    await signIn(alice, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await signIn(bob, ui.server.url, bobUser.email, bobUser.password);
    apiChannel = await ui.createApiChannel('Shop backend', {});
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    expect(ui.problems).toEqual([]);
  });

  /** The id of the (only) conversation on a channel, once the inbound message was processed. */
  function conversationOn(channelId: string): Promise<string> {
    return waitUntil(
      'the conversation in the API',
      async () => {
        const r = await ui.admin.call<{ items: { id: string; channel: { id: string } }[] }>(
          'GET',
          '/api/v1/conversations',
        );
        return r.json.items.find((c) => c.channel.id === channelId)?.id;
      },
      15_000,
      100,
    );
  }

  /** Moves the customer's last message back in time, so the window closes `inMs` from now. */
  async function windowClosesIn(conversationId: string, windowMs: number, inMs: number): Promise<void> {
    await ui.server.ctx.db.kysely
      .updateTable('conversations')
      .set({ last_inbound_at: Date.now() - windowMs + inMs })
      .where('id', '=', conversationId)
      .execute();
  }

  it('shows each operator the other in the conversation header, until one leaves', async () => {
    await postInbound(
      ui.server,
      apiChannel,
      { externalId: 'cust-maria', name: 'Maria Lopez' },
      'Hello there',
    );
    apiConversation = await conversationOn(apiChannel.id);
    await alice.goto(`${ui.server.url}/inbox/all/${apiConversation}`);
    await bob.goto(`${ui.server.url}/inbox/all/${apiConversation}`);
    const aliceSees = alice.getByTestId('conversation-header').getByTestId('also-viewing');
    const bobSees = bob.getByTestId('conversation-header').getByTestId('also-viewing');
    await expect.poll(() => aliceSees.getAttribute('data-names'), { timeout: 10_000 }).toBe('Bob Operator');
    await expect.poll(() => bobSees.getAttribute('data-names'), { timeout: 10_000 }).toBe('Alice Admin');
    expect(await aliceSees.getAttribute('aria-label')).toBe('Also viewing: Bob Operator');
    // On a phone the marker still fits in the header.
    await alice.setViewportSize({ width: 390, height: 800 });
    const box = await aliceSees.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await alice.setViewportSize({ width: 1280, height: 800 });

    // Bob writes a private note: Alice sees it being written (the customer never does).
    await bob.getByTestId('composer-mode').getByText('Private note').click();
    await bob.getByTestId('composer-input').pressSequentially('Checking the warehouse');
    await expect
      .poll(() => alice.getByTestId('typing-indicator').innerText(), { timeout: 10_000 })
      .toBe('Bob Operator is writing a note…');
    await alice.screenshot({ path: join(shots, 'conversation-live.png') });

    // Bob goes back to the list: his marker leaves Alice's header, and his typing with it.
    await bob.getByTestId('composer-input').fill('');
    await bob.goto(`${ui.server.url}/inbox/all`);
    await expect.poll(() => aliceSees.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => alice.getByTestId('typing-indicator').innerText(), { timeout: 10_000 }).toBe('');
    // And back: the marker returns; closing his browser tab removes it again.
    await bob.goto(`${ui.server.url}/inbox/all/${apiConversation}`);
    await expect.poll(() => aliceSees.getAttribute('data-names'), { timeout: 10_000 }).toBe('Bob Operator');
    await bob.close();
    // At once when the tab says goodbye; at most the server's ping timeout (15 s) when it cannot.
    await expect.poll(() => aliceSees.count(), { timeout: 20_000 }).toBe(0);
    bob = watchPage(await bobCtx.newPage(), ui.problems);
  }, 60_000);

  it('shows the operator when a site visitor is typing, and stops when the box is emptied', async () => {
    const ch = await ui.admin.call<{ id: string }>('POST', '/api/v1/channels', {
      type: 'widget',
      name: 'Shop chat',
      settings: {},
    });
    expect(ch.status).toBe(201);
    const shop = await startShop(ui.server.url, ch.json.id);
    const visitorCtx = await ui.browser.newContext({ locale: 'en-GB' });
    try {
      const page = watchPage(await visitorCtx.newPage(), ui.problems);
      await page.goto(shop.url);
      const widget = page.locator('switchboard-chat');
      await widget.locator('.launcher').click({ timeout: 15_000 });
      const input = widget.locator('textarea');
      await input.fill('Hi, I need help with my order');
      await input.press('Enter');
      const conversationId = await conversationOn(ch.json.id);

      await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
      await alice.getByTestId('message-text').filter({ hasText: 'need help' }).waitFor({ timeout: 10_000 });
      await input.pressSequentially('It was order 1042');
      const indicator = alice.getByTestId('typing-indicator');
      await expect.poll(() => indicator.innerText(), { timeout: 10_000 }).toMatch(/ is typing…$/);
      await input.fill('');
      await input.press('Space');
      await input.press('Backspace');
      await expect.poll(() => indicator.innerText(), { timeout: 10_000 }).toBe('');
    } finally {
      await visitorCtx.close();
      await shop.close();
    }
  });

  it('counts the last seconds of the window down and closes the composer at zero, without a reload', async () => {
    const number = sandbox.createNumber({ displayPhoneNumber: '15550009999', verifiedName: 'Acme' });
    sandbox.addTemplate(number.phoneNumberId, {
      name: 'order_update',
      language: 'en_US',
      bodyParameters: 1,
      body: 'Your order {{1}} is on its way.',
    });
    const ch = await ui.admin.call<{ id: string; connection: { webhookUrl: string; verifyToken: string } }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'whatsapp',
        name: 'WhatsApp',
        settings: {
          phoneNumberId: number.phoneNumberId,
          businessAccountId: number.wabaId,
          accessToken: number.accessToken,
          appSecret: number.appSecret,
          apiBaseUrl: sandbox.url,
        },
      },
    );
    expect(ch.status).toBe(201);
    expect(
      await sandbox.subscribe(
        number.phoneNumberId,
        ch.json.connection.webhookUrl,
        ch.json.connection.verifyToken,
      ),
    ).toBe(true);
    await sandbox.customerSends(number.phoneNumberId, { from: CUSTOMER, content: { text: 'Where is it?' } });
    const conversationId = await conversationOn(ch.json.id);

    await windowClosesIn(conversationId, DAY, 12_000);
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await alice.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const countdown = alice.getByTestId('window-countdown');
    await countdown.waitFor({ timeout: 10_000 });
    expect(await countdown.innerText()).toMatch(/The messaging window closes in 0:(0\d|1[0-5])\./);
    expect(await countdown.innerText()).toContain('only approved templates');
    // It ticks: the shown time changes while we watch.
    const first = await countdown.innerText();
    await expect.poll(() => countdown.innerText(), { timeout: 5000 }).not.toBe(first);
    await alice.getByTestId('composer-input').fill('Almost there');
    expect(await alice.getByTestId('composer-send').isDisabled()).toBe(false);

    // At zero: no countdown, replies refused with the reason, the template fallback offered.
    const open = alice.getByTestId('template-fallback-open');
    await open.waitFor({ timeout: 20_000 });
    expect(await countdown.count()).toBe(0);
    // The half-written reply is kept, held back with the reason.
    expect(await alice.getByTestId('composer-input').inputValue()).toBe('Almost there');
    expect(await alice.getByTestId('composer-send').isDisabled()).toBe(true);
    await alice.getByTestId('composer-mode').getByText('Reply').click();
    await alice.getByTestId('reply-blocked').waitFor();
    expect(await alice.getByTestId('reply-blocked').innerText()).toMatch(/window closed/);
    await alice.getByTestId('composer-input').fill('Free text after the window');
    expect(await alice.getByTestId('composer-send').isDisabled()).toBe(true);
    expect(
      await alice.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);

    // The approved template goes out instead, with its variable filled in.
    await open.click();
    const form = alice.getByTestId('template-fallback');
    await form.getByTestId('template-select').click();
    await alice.getByRole('option', { name: 'order_update · en_US' }).click();
    await form.getByTestId('template-variable').fill('A-1042');
    expect(await form.getByTestId('template-preview').innerText()).toBe('Your order A-1042 is on its way.');
    await alice.screenshot({ path: join(shots, 'template-fallback.png') });
    await form.getByTestId('template-send').click();
    await form.waitFor({ state: 'detached', timeout: 10_000 });
    const sent = await waitUntil(
      'the template at the WhatsApp sandbox',
      () => sandbox.sent(number.phoneNumberId, CUSTOMER).find((m) => m.body.type === 'template'),
      15_000,
      100,
    );
    expect(sent.body).toMatchObject({
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1042' }] }],
      },
    });
    await alice.getByTestId('message').filter({ hasText: 'A-1042' }).waitFor({ timeout: 10_000 });
  });

  it('says nothing can be sent when the channel has no fallback', async () => {
    await windowClosesIn(apiConversation, 7 * DAY, -60_000);
    await alice.goto(`${ui.server.url}/inbox/all/${apiConversation}`);
    const none = alice.getByTestId('window-no-fallback');
    await none.waitFor({ timeout: 10_000 });
    expect(await none.innerText()).toBe(
      'Nothing can be sent to the customer until they write again. Private notes still work.',
    );
    expect(await alice.getByTestId('template-fallback-open').count()).toBe(0);
  });
});
