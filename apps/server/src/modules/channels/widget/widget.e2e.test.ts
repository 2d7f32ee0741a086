import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  type ConsoleServer,
  launchBrowser,
  startConsoleServer,
} from '../../../../test/console-harness.ts';
import { waitUntil } from '../../../../test/node-services.ts';
import { hostPage, runnable, startHostSite } from './widget-browser-kit.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface ApiMessage {
  id: string;
  direction: string;
  text: string | null;
  deliveryStatus: string | null;
  attachments: { url: string; mimeType: string }[];
}

describe.skipIf(!runnable)('Site widget in Chromium, embedded on another origin', () => {
  let server: ConsoleServer;
  let admin: ApiSession;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let site: { url: string; close(): Promise<void> } | undefined;
  let problems: string[] = [];

  beforeAll(async () => {
    server = await startConsoleServer();
    admin = await server.session(server.admin.email, server.admin.password);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    await site?.close();
    context = undefined;
    site = undefined;
    expect(problems).toEqual([]);
    problems = [];
  });

  async function setUp(lang: 'en' | 'ru', settings: Record<string, unknown> = {}, attrs = '') {
    const ch = await admin.call<{ id: string }>('POST', '/api/v1/channels', {
      type: 'widget',
      name: lang === 'ru' ? 'Чат магазина' : 'Shop chat',
      settings,
    });
    expect(ch.status).toBe(201);
    site = await startHostSite(() => hostPage(server.url, ch.json.id, lang, attrs));
    context = await browser.newContext({ locale: lang === 'ru' ? 'ru-RU' : 'en-GB' });
    const page = await openPage(context);
    return { channelId: ch.json.id, page, widget: page.locator('switchboard-chat') };
  }

  const sockets: string[] = [];

  async function openPage(ctx: BrowserContext): Promise<Page> {
    // Cookies Switchboard's own origin would know: the widget must never send them.
    await ctx.addCookies([{ name: 'sb_session', value: 'must-not-be-sent', url: server.url }]);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url().startsWith(server.url) && r.headers().cookie) problems.push(`cookie sent to ${r.url()}`);
    });
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(site!.url);
    return page;
  }

  async function widgetConversation(channelId: string): Promise<string> {
    return waitUntil(
      'the widget conversation in the API',
      async () => {
        const r = await admin.call<{ items: { id: string; channel: { id: string } }[] }>(
          'GET',
          '/api/v1/conversations',
        );
        return r.json.items.find((c) => c.channel.id === channelId)?.id;
      },
      15_000,
      100,
    );
  }

  const apiMessages = async (conversationId: string) =>
    (await admin.call<{ items: ApiMessage[] }>('GET', `/api/v1/conversations/${conversationId}/messages`))
      .json.items;

  const reply = (conversationId: string, text: string) =>
    admin.call<ApiMessage>('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text,
      clientMessageId: `op-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });

  const bubbles = (widget: Locator, direction: 'in' | 'out') => widget.locator(`.msg.${direction} .bubble`);

  it('serves /widget.js compressed, embeddable from any site', async () => {
    const res = await fetch(`${server.url}/widget.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const body = await res.text();
    expect(body.length).toBeGreaterThan(1000);
    // Small enough for every page view of a customer's site.
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(body, { level: 9 }).length).toBeLessThan(20 * 1024);
  });

  it('chats both ways in real time, keeps the history on reload, and resists the host page', async () => {
    const { channelId, page, widget } = await setUp('en');
    const launcher = widget.locator('.launcher');
    await launcher.waitFor({ state: 'visible', timeout: 15_000 });

    // The host page's CSS does not reach the launcher.
    const look = await launcher.evaluate((b) => {
      const s = getComputedStyle(b);
      const host = b.getRootNode() instanceof ShadowRoot ? (b.getRootNode() as ShadowRoot).host : null;
      return {
        width: s.width,
        height: s.height,
        display: s.display,
        background: s.backgroundColor,
        border: s.borderTopWidth,
        font: s.fontFamily,
        hostDisplay: host ? getComputedStyle(host).display : null,
        rect: b.getBoundingClientRect().toJSON(),
      };
    });
    expect(look).toMatchObject({
      width: '56px',
      height: '56px',
      display: 'flex',
      background: 'rgb(37, 99, 235)',
      border: '0px',
      hostDisplay: 'block',
    });
    expect(look.font).not.toContain('Comic');
    expect(look.rect.x).toBeGreaterThan(0);
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat');

    await launcher.click();
    const input = widget.locator('textarea');
    await input.waitFor({ state: 'visible' });
    expect(await widget.locator('.welcome').textContent()).toBe('Hi! How can we help you?');
    const xss = 'Hello from the shop <img src=x onerror=alert(1)> <b>bold</b>';
    await input.fill(xss);
    await input.press('Enter');

    // The visitor's message arrives in the operators' API…
    const conversationId = await widgetConversation(channelId);
    await waitUntil('the visitor message', async () => (await apiMessages(conversationId)).length === 1);
    expect((await apiMessages(conversationId))[0]).toMatchObject({ direction: 'in', text: xss });
    // …and the widget shows the stored copy, as text.
    await bubbles(widget, 'in').filter({ hasText: 'Hello from the shop' }).waitFor();
    expect(await bubbles(widget, 'in').first().textContent()).toBe(xss);
    expect(await widget.locator('.list img, .list b').count()).toBe(0);

    // Operator typing, then the reply, reach the open widget live.
    expect(
      (await admin.call('POST', `/api/v1/conversations/${conversationId}/typing`, { typing: true })).status,
    ).toBe(204);
    await widget.locator('.typing', { hasText: 'is typing' }).waitFor({ state: 'visible' });
    const r1 = await reply(conversationId, 'Hi! Your order ships today.');
    expect(r1.status).toBe(202);
    await bubbles(widget, 'out').filter({ hasText: 'Your order ships today' }).waitFor({ timeout: 10_000 });
    expect(await widget.locator('.msg.out .author').first().textContent()).toBe(server.admin.name);
    expect(sockets.some((u) => u.startsWith(`${server.url.replace('http', 'ws')}/widget/socket.io/`))).toBe(
      true,
    );
    await widget.locator('.typing').waitFor({ state: 'hidden' });
    // Open and visible: the reply is acknowledged and read.
    await waitUntil(
      'the reply to be read',
      async () =>
        (await apiMessages(conversationId)).find((m) => m.id === r1.json.id)?.deliveryStatus === 'read',
      10_000,
      100,
    );

    // Closed panel: a new reply shows as an unread badge; opening reads it.
    await widget.locator('.head .icon-btn').click();
    await widget.locator('.panel').waitFor({ state: 'hidden' });
    const r2 = await reply(conversationId, 'Anything else?');
    await widget.locator('.badge', { hasText: '1' }).waitFor({ state: 'visible', timeout: 10_000 });
    await waitUntil(
      'the second reply delivered',
      async () =>
        (await apiMessages(conversationId)).find((m) => m.id === r2.json.id)?.deliveryStatus === 'delivered',
      10_000,
      100,
    );
    await launcher.click();
    await widget.locator('.badge').waitFor({ state: 'hidden' });
    await waitUntil(
      'the second reply read',
      async () =>
        (await apiMessages(conversationId)).find((m) => m.id === r2.json.id)?.deliveryStatus === 'read',
      10_000,
      100,
    );

    // A file: uploaded, sent, stored, and shown back as an image.
    await widget
      .locator('input[type=file]')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await waitUntil(
      'the attachment in the API',
      async () => (await apiMessages(conversationId)).some((m) => m.attachments[0]?.mimeType === 'image/png'),
      10_000,
      100,
    );
    await widget.locator('.msg.in img[src^="blob:"]').waitFor({ state: 'attached', timeout: 10_000 });

    // Reload: same visitor (token in the host page's local storage), whole history, panel still open.
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys).toContain(`switchboard:widget:${channelId}:token`);
    await page.reload();
    await bubbles(widget, 'out').filter({ hasText: 'Anything else?' }).waitFor({ timeout: 15_000 });
    expect(await bubbles(widget, 'in').first().textContent()).toBe(xss);
    expect(await bubbles(widget, 'out').allTextContents()).toEqual([
      'Hi! Your order ships today.',
      'Anything else?',
    ]);
    const convs = await admin.call<{ items: { channel: { id: string } }[] }>('GET', '/api/v1/conversations');
    expect(convs.json.items.filter((c) => c.channel.id === channelId)).toHaveLength(1);

    // The connection drops (server restart, network): a reply sent meanwhile is caught up on reconnect.
    server.node.widgetGateway!.io.disconnectSockets(true);
    await reply(conversationId, 'Sent during the outage');
    await bubbles(widget, 'out').filter({ hasText: 'Sent during the outage' }).waitFor({ timeout: 15_000 });

    // A reply while the page was away (socket closed) is caught up after it comes back.
    await page.goto('about:blank');
    await reply(conversationId, 'Sent while you were away');
    await page.goto(site!.url);
    await bubbles(widget, 'out').filter({ hasText: 'Sent while you were away' }).waitFor({ timeout: 15_000 });

    // The page address went to the operators without its query string.
    const stored = await admin.call<{ items: unknown[] }>(
      'GET',
      `/api/v1/conversations/${conversationId}/messages`,
    );
    expect(JSON.stringify(stored.json)).not.toContain('reset-token');

    // A right-to-left override cannot make a file name pose as a picture: it shows as U+FFFD.
    await reply(conversationId, 'Your file: Invoice\u202Egpj.exe');
    const spoof = bubbles(widget, 'out').filter({ hasText: 'Your file' });
    await spoof.waitFor({ timeout: 15_000 });
    expect(await spoof.textContent()).toBe('Your file: Invoice\uFFFDgpj.exe');
  });

  it('recognises a signed-in user of the site on another device, and ignores a forged hash', async () => {
    const ch = await admin.call<{ id: string; connection: { identitySecret: string } }>(
      'POST',
      '/api/v1/channels',
      {
        type: 'widget',
        name: 'Members chat',
        settings: {},
      },
    );
    const { createHmac } = await import('node:crypto');
    const hash = createHmac('sha256', ch.json.connection.identitySecret).update('member-7').digest('hex');
    const attrs = ` data-user-id="member-7" data-user-hash="${hash}" data-user-name="Vera"`;
    site = await startHostSite(() => hostPage(server.url, ch.json.id, 'en', attrs));
    context = await browser.newContext({ locale: 'en-GB' });
    const laptop = (await openPage(context)).locator('switchboard-chat');
    await laptop.locator('.launcher').click();
    await laptop.locator('textarea').fill('Written on my laptop');
    await laptop.locator('textarea').press('Enter');
    const conversationId = await widgetConversation(ch.json.id);
    const conv = await admin.call<{ contact: { name: string } }>(
      'GET',
      `/api/v1/conversations/${conversationId}`,
    );
    expect(conv.json.contact.name).toBe('Vera');

    // Another browser (nothing in its storage): the same user sees the same conversation.
    const phoneCtx = await browser.newContext({ locale: 'en-GB' });
    try {
      const phone = (await openPage(phoneCtx)).locator('switchboard-chat');
      await phone.locator('.launcher').click();
      await bubbles(phone, 'in').filter({ hasText: 'Written on my laptop' }).waitFor({ timeout: 15_000 });
      // The site's JS API: identify() with a forged hash is refused and the visitor stays who they were.
      const page = phone.page();
      const forged = await page.evaluate(async (h) => {
        const sb = (window as unknown as { Switchboard: { identify(i: object): Promise<void> } }).Switchboard;
        return sb.identify({ id: 'member-8', hash: h }).then(
          () => 'accepted',
          (e: Error) => e.message,
        );
      }, hash);
      expect(forged).toMatch(/hash does not match/);
      expect(await bubbles(phone, 'in').allTextContents()).toEqual(['Written on my laptop']);
      // Signing out on the site: reset() starts an anonymous visitor with an empty chat.
      await page.evaluate(() =>
        (window as unknown as { Switchboard: { reset(): Promise<void> } }).Switchboard.reset(),
      );
      await phone.locator('.msg').first().waitFor({ state: 'detached' });
    } finally {
      await phoneCtx.close();
    }
  });

  it('speaks Russian, asks the pre-chat form first, and says when the center is offline', async () => {
    expect((await admin.call('POST', '/api/v1/center/status', { mode: 'offline' })).status).toBe(200);
    try {
      const { channelId, widget } = await setUp('ru', {
        preChatForm: { enabled: true, name: 'required', email: 'optional', phone: 'off' },
      });
      const launcher = widget.locator('.launcher');
      await launcher.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await launcher.getAttribute('aria-label')).toBe('Открыть чат');
      await launcher.click();
      const form = widget.locator('form.prechat');
      await form.waitFor({ state: 'visible' });
      expect(await form.textContent()).toContain('Представьтесь');
      expect(await widget.locator('.notice').textContent()).toContain('Сейчас мы не в сети');
      expect(await widget.locator('.status').textContent()).toContain('Не в сети');
      await form.locator('input[name=name]').fill('Мария');
      await form.locator('input[name=email]').fill('maria@example.com');
      await form.locator('button[type=submit]').click();
      const input = widget.locator('textarea');
      await input.waitFor({ state: 'visible' });
      expect(await input.getAttribute('placeholder')).toBe('Напишите сообщение…');
      await input.fill('Здравствуйте!');
      await widget.locator('button.send').click();
      const conversationId = await widgetConversation(channelId);
      const conv = await admin.call<{ contact: { name: string } }>(
        'GET',
        `/api/v1/conversations/${conversationId}`,
      );
      expect(conv.json.contact.name).toBe('Мария');
      await bubbles(widget, 'in').filter({ hasText: 'Здравствуйте!' }).waitFor();
    } finally {
      await admin.call('POST', '/api/v1/center/status', { mode: 'auto' });
    }
  });
});
