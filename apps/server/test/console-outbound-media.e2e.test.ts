// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import { connectWhatsApp, consoleSuiteRunnable, signIn } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/** A real 24×16 PNG and a GIF header with some bytes (sniffed as image/gif by the server). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAH0lEQVR4nGO4IydHEMnZ3CGIGEYNGjVo1KBRgygzCAAeoLqQCjxy8wAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(600, 7)]);

describe.skipIf(!runnable)("The composer checks files against the channel's rules (Chromium)", () => {
  const ui = useConsole();
  let wa: WhatsAppSandbox;
  let page: Page;
  let phoneNumberId: string;
  let conversationId: string;

  beforeAll(async () => {
    wa = await new WhatsAppSandbox().start();
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const whatsappChannel = await connectWhatsApp(admin, wa);
    phoneNumberId = whatsappChannel.phoneNumberId;
    await wa.customerSends(phoneNumberId, {
      from: '79990001122',
      name: 'Olga Smirnova',
      content: { text: 'Send me a picture please' },
    });
    conversationId = (await ui.awaitConversations(1, `?channel=${whatsappChannel.channelId}`))[0]!.id;
    page = await ui.page();
  }, 60_000);

  afterAll(async () => {
    await wa?.settle();
    await wa?.stop();
  });

  it('a GIF on WhatsApp shows why it cannot go and holds Send; as a note it goes; a PNG goes to WhatsApp', async () => {
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await page.getByTestId('message-text').filter({ hasText: 'Send me a picture' }).waitFor();
    const input = page.getByTestId('composer-input');
    const send = page.getByTestId('composer-send');

    await page
      .getByTestId('composer-file-input')
      .setInputFiles({ name: 'fun.gif', mimeType: 'image/gif', buffer: GIF });
    const refused = page.locator('[data-testid=pending-attachment][data-state=refused]');
    await refused.waitFor();
    const reason = await refused.getByTestId('pending-status').innerText();
    expect(reason).toContain('WhatsApp cannot send GIF files');
    expect(reason).toContain('JPEG, PNG');
    expect(await page.getByTestId('attachments-hint').innerText()).toContain('cannot send');
    await input.fill('A funny one');
    expect(await send.isDisabled()).toBe(true);
    await input.press('Enter');
    expect(wa.sent(phoneNumberId)).toHaveLength(0);

    // A private note stays with colleagues: the same file is fine there.
    await page.getByTestId('composer-mode').getByText('Private note').click();
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor();
    expect(await send.isDisabled()).toBe(false);
    await send.click();
    await page.getByTestId('message').filter({ hasText: 'A funny one' }).waitFor();
    expect(await page.getByTestId('pending-attachment').count()).toBe(0);

    // Back to replying: a PNG is within WhatsApp's rules and reaches the customer.
    await page.getByTestId('composer-mode').getByText('Reply').click();
    await page
      .getByTestId('composer-file-input')
      .setInputFiles({ name: 'kettle.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-testid=pending-attachment][data-state=ready]').waitFor();
    await input.fill('Here is the kettle');
    expect(await send.isDisabled()).toBe(false);
    await send.click();
    await expect.poll(() => wa.sent(phoneNumberId).length, { timeout: 15_000 }).toBe(1);
    const image = wa.sent(phoneNumberId)[0]!.body.image as { caption: string };
    expect(image.caption).toBe('Here is the kettle');

    expect(ui.problems).toEqual([]);
  }, 60_000);
});
