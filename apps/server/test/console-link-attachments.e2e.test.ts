import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';
import { consoleSuiteRunnable, signIn } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/** A real 24×16 PNG, so the browser can decode and show it. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAH0lEQVR4nGO4IydHEMnZ3CGIGEYNGjVo1KBRgygzCAAeoLqQCjxy8wAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A customer's link attachment (API channel) must never be loaded by the operator's browser: the server
 * downloads it through the SSRF guard and the console shows our copy; a link the guard refuses stays a
 * link. The customer's file host records who asked.
 */
describe.skipIf(!runnable)('Link attachments in Chromium', () => {
  const ui = useConsole();
  let files: Server;
  let filesUrl: string;
  const fileHits: { path: string; agent: string }[] = [];
  let page: Page;
  const browserRequests: string[] = [];

  beforeAll(async () => {
    files = createServer((req, res) => {
      fileHits.push({ path: req.url ?? '', agent: req.headers['user-agent'] ?? '' });
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PHOTO);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    page = await ui.page();
    page.on('request', (r) => browserRequests.push(r.url()));
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => files?.close(r));
  });

  it('shows the stored copy inline and never fetches the customer’s URL', { timeout: 60_000 }, async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const ch = await admin.call<{ id: string; connection: { secret: string } }>('POST', '/api/v1/channels', {
      type: 'api',
      name: 'Shop backend',
      settings: {},
    });
    const body = JSON.stringify({
      eventId: 'evt-link-1',
      contact: { externalId: 'cust-link', name: 'Lena Links' },
      message: {
        externalId: 'm-link-1',
        attachments: [
          { url: `${filesUrl}/photo.png`, name: 'photo.png', mimeType: 'image/png' },
          { url: 'http://10.255.255.1/pixel.png', name: 'pixel.png', mimeType: 'image/png' },
        ],
      },
    });
    const res = await fetch(`${ui.server.url}/webhooks/api/${ch.json.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(ch.json.connection.secret, body),
      },
      body,
    });
    expect(res.status).toBe(200);

    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    const html = await fetch(`${ui.server.url}/`);
    expect(html.headers.get('content-security-policy')).toContain("img-src 'self' data: blob:");
    await page.goto(`${ui.server.url}/inbox/all`);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Lena Links' });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const photo = page.getByTestId('message').locator('img.sb-attachment-img');
    await photo.waitFor({ timeout: 15_000 });
    expect(await photo.getAttribute('src')).toMatch(/^\/api\/v1\/attachments\//);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
    // The refused link is a link to click, not an image the browser loads by itself.
    const link = page.getByTestId('message').locator('a[href="http://10.255.255.1/pixel.png"]');
    await link.waitFor();
    expect(await page.getByTestId('message').locator('img').count()).toBe(1);

    expect(fileHits).toHaveLength(1);
    expect(fileHits[0]!.agent).not.toMatch(/Chrome|Mozilla/);
    expect(browserRequests.filter((u) => !u.startsWith(ui.server.url))).toEqual([]);
    expect(ui.problems).toEqual([]);
  });
});
