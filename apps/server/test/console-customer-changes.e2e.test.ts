// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import {
  connectWhatsApp,
  consoleSuiteRunnable,
  newOperatorContext,
  signIn,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
const OLGA = '79990001122';

describe.skipIf(!runnable)('A WhatsApp customer edits and deletes messages (Chromium)', () => {
  const ui = useConsole();
  let wa: WhatsAppSandbox;
  let phoneNumberId: string;
  let conversationId: string;
  const sentIds: string[] = [];

  beforeAll(async () => {
    wa = await new WhatsAppSandbox().start();
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const whatsappChannel = await connectWhatsApp(admin, wa);
    phoneNumberId = whatsappChannel.phoneNumberId;
    for (const text of ['I need size M', 'My address is 1 Long Street']) {
      const r = await wa.customerSends(phoneNumberId, {
        from: OLGA,
        name: 'Olga Smirnova',
        content: { text },
      });
      sentIds.push(r.id);
    }
    conversationId = (await ui.awaitConversations(1, `?channel=${whatsappChannel.channelId}`))[0]!.id;
  }, 60_000);

  afterAll(async () => {
    await wa?.settle();
    await wa?.stop();
  });

  const open = async (page: Page) => {
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await page.getByTestId('message-text').filter({ hasText: '1 Long Street' }).waitFor();
  };

  it('the edit and the deletion show up live; the deleted text stays, struck through', async () => {
    const page = await ui.page();
    await open(page);
    expect(await page.getByTestId('deleted-badge').count()).toBe(0);

    await wa.customerChanges(phoneNumberId, { from: OLGA, original: sentIds[0]!, text: 'I need size L' });
    await wa.customerChanges(phoneNumberId, { from: OLGA, original: sentIds[1]! });

    const edited = page.getByTestId('message').filter({ hasText: 'I need size L' });
    await edited.getByTestId('edited-mark').waitFor({ timeout: 15_000 });
    expect(await edited.getByTestId('edited-mark').innerText()).toBe('Edited');
    const deleted = page.getByTestId('message').filter({ hasText: '1 Long Street' });
    await deleted.getByTestId('deleted-badge').waitFor({ timeout: 15_000 });
    expect(await deleted.getByTestId('deleted-badge').innerText()).toMatch(
      /message deleted by the customer/i,
    );
    const text = deleted.getByTestId('message-text');
    expect(await text.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
    expect(await page.getByTestId('message').filter({ hasText: 'size M' }).count()).toBe(0);
    expect(ui.problems).toEqual([]);
  }, 60_000);

  it('in Russian at 390 px', async () => {
    const ctx = await newOperatorContext(ui.browser, { width: 390, height: 844, lang: 'ru' });
    const page = watchPage(await ctx.newPage(), ui.problems);
    await open(page);
    const deleted = page.getByTestId('message').filter({ hasText: '1 Long Street' });
    expect(await deleted.getByTestId('deleted-badge').innerText()).toMatch(/сообщение удалено клиентом/i);
    const edited = page.getByTestId('message').filter({ hasText: 'I need size L' });
    expect(await edited.getByTestId('edited-mark').innerText()).toBe('Изменено');
    expect(ui.problems).toEqual([]);
  }, 60_000);
});
