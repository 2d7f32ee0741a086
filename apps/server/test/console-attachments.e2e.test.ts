// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir, signIn } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { FakeCallbackServer } from './fake-callback-server.ts';

const runnable = consoleSuiteRunnable();

/** A real 24×16 PNG (red and blue halves), so the browser can decode and show it. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAH0lEQVR4nGO4IydHEMnZ3CGIGEYNGjVo1KBRgygzCAAeoLqQCjxy8wAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n% manual\n'), Buffer.alloc(4000, 0x20)]);
const MAX = 100_000;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface CallbackAttachment {
  url: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
}

describe.skipIf(!runnable)('Composer attachments in Chromium', () => {
  const ui = useConsole({
    env: async () => {
      const port = await freePort();
      return { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MEDIA_MAX_BYTES: String(MAX) };
    },
  });
  let callbacks: FakeCallbackServer;
  let page: Page;

  beforeAll(async () => {
    callbacks = await new FakeCallbackServer().start();
    await ui.createApiChannel('Shop backend', { callbackUrl: callbacks.url });
    page = await ui.page();
  }, 60_000);

  afterAll(async () => {
    await callbacks?.stop();
  });

  /** The reply the business's backend received whose text is `text` (null: a reply of files only). */
  async function callbackFor(
    text: string | null,
  ): Promise<{ text: string | null; attachments: CallbackAttachment[] }> {
    type Sent = { message: { text: string | null; attachments: CallbackAttachment[] } };
    const find = () =>
      callbacks.received
        .map((c) => (c.body as Sent).message)
        .find((m) => m.text === text && m.attachments.length > 0);
    await expect
      .poll(find, {
        timeout: 15_000,
        message: `callbacks so far: ${JSON.stringify(callbacks.received.map((c) => c.body))}`,
      })
      .toBeDefined();
    return find()!;
  }

  async function downloaded(a: CallbackAttachment): Promise<Buffer> {
    // The business's backend fetches the link as it is: no cookie, no token.
    const res = await fetch(a.url);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it('attaches through the file picker, a pasted image and a dropped file; the backend gets the bytes', async () => {
    await ui.inbound({ externalId: 'cust-vera', name: 'Vera Files' }, 'Can you send the manual?');
    const convs = await ui.admin.call<{ items: { id: string }[] }>('GET', '/api/v1/conversations');
    const conversationId = convs.json.items[0]!.id;
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await page.getByTestId('message-text').filter({ hasText: 'send the manual' }).waitFor();
    const input = page.getByTestId('composer-input');
    const send = page.getByTestId('composer-send');
    const pending = page.getByTestId('pending-attachment');

    // 1. The paperclip's file input: a photo with a caption, sent with Enter.
    await page.getByTestId('composer-file-input').setInputFiles({
      name: 'kettle photo.png',
      mimeType: 'image/png',
      buffer: PHOTO,
    });
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor();
    expect(await pending.innerText()).toContain('kettle photo.png');
    await expect
      .poll(() =>
        pending.getByTestId('pending-thumbnail').evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBe(24);
    await input.fill('Here is the kettle');
    await input.press('Enter');
    const first = await callbackFor('Here is the kettle');
    expect(first.text).toBe('Here is the kettle');
    expect(first.attachments).toHaveLength(1);
    expect(first.attachments[0]).toMatchObject({
      name: 'kettle photo.png',
      mimeType: 'image/png',
      size: PHOTO.length,
    });
    expect((await downloaded(first.attachments[0]!)).equals(PHOTO)).toBe(true);
    expect(await pending.count()).toBe(0);
    // The conversation shows the sent photo inline, decoded from the server's copy.
    const sentPhoto = page
      .getByTestId('message')
      .filter({ hasText: 'Here is the kettle' })
      .locator('img.sb-attachment-img');
    await sentPhoto.waitFor();
    expect(await sentPhoto.getAttribute('src')).toMatch(/^\/api\/v1\/attachments\//);
    await expect.poll(() => sentPhoto.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);

    // 2. A screenshot pasted into the box (a synthetic clipboard event carrying a file), sent alone.
    await input.evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, PHOTO.toString('base64'));
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor();
    expect(await input.inputValue()).toBe('');
    await input.press('Enter');
    const second = await callbackFor(null);
    expect(second.text).toBeNull();
    expect(second.attachments[0]).toMatchObject({ name: 'screenshot.png', mimeType: 'image/png' });
    expect((await downloaded(second.attachments[0]!)).equals(PHOTO)).toBe(true);

    // 3. A PDF dragged onto the conversation: the drop hint shows while dragging, then it is attached.
    await page.getByTestId('conversation-header').evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'manual.pdf', { type: 'application/pdf' }));
      (window as unknown as { dropped: DataTransfer }).dropped = dt;
      el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, PDF.toString('base64'));
    await page.getByTestId('drop-hint').waitFor();
    await page.getByTestId('conversation-header').evaluate((el) => {
      const dt = (window as unknown as { dropped: DataTransfer }).dropped;
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('drop-hint').waitFor({ state: 'detached' });
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor();
    await input.fill('The manual');
    await send.click();
    const third = await callbackFor('The manual');
    expect(third.attachments[0]).toMatchObject({
      name: 'manual.pdf',
      mimeType: 'application/pdf',
      size: PDF.length,
    });
    expect((await downloaded(third.attachments[0]!)).equals(PDF)).toBe(true);
    const doc = page.getByTestId('message').filter({ hasText: 'The manual' }).getByRole('link');
    await doc.waitFor();
    expect(await doc.innerText()).toMatch(/manual\.pdf \(3\.9 KB\)/);
    await page.screenshot({ path: join(screenshotDir(), 'composer-attachments.png') });
  });

  it('shows why a file cannot be sent, keeps Send off until it is removed', async () => {
    const input = page.getByTestId('composer-input');
    const send = page.getByTestId('composer-send');
    await input.fill('Two files');
    await page.getByTestId('composer-file-input').setInputFiles([
      { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(MAX + 1, 0x61) },
      {
        name: 'tool.exe',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from([0x4d, 0x5a, 0, 1, 2, 0xff]),
      },
    ]);
    const failed = page.locator('[data-testid=pending-attachment][data-state=failed]');
    await expect.poll(() => failed.count()).toBe(2);
    const texts = await failed.getByTestId('pending-status').allInnerTexts();
    expect(texts).toEqual(['Too large: files up to 97.7 KB', 'This type of file cannot be sent']);
    expect(await page.getByTestId('attachments-hint').innerText()).toContain('could not be uploaded');
    expect(await send.isDisabled()).toBe(true);
    await page.screenshot({ path: join(screenshotDir(), 'composer-attachment-errors.png') });
    for (const name of ['huge.txt', 'tool.exe']) {
      await page.getByRole('button', { name: `Remove ${name}` }).click();
    }
    expect(await page.getByTestId('pending-attachment').count()).toBe(0);
    expect(await send.isDisabled()).toBe(false);

    // On a slow line the file shows its progress, and Send waits for it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 16 * 1024,
    });
    await page.getByTestId('composer-file-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(80_000, 0x62),
    });
    const uploading = page.locator('[data-testid=pending-attachment][data-state=uploading]');
    await uploading.getByRole('progressbar', { name: 'Upload of notes.txt' }).waitFor();
    expect(await uploading.getByTestId('pending-status').innerText()).toMatch(/^Uploading… \d+%$/);
    expect(await send.isDisabled()).toBe(true);
    expect(await page.getByTestId('attachments-hint').innerText()).toBe('Waiting for the files to upload…');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor({ timeout: 20_000 });
    expect(await send.isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    await input.fill('');
    expect(ui.problems).toEqual([]);
  });
});
