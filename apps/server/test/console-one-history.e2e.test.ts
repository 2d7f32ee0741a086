// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import { connectWhatsApp, consoleSuiteRunnable, postInbound, screenshotDir } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
const DAY = 86_400_000;

/**
 * One history in real browsers: a customer who wrote on WhatsApp and then on the site widget (one
 * contact after a merge). The widget conversation shows the WhatsApp one collapsed above it, and the
 * operator answers on WhatsApp from there; once WhatsApp's window has closed the picker says so and
 * offers templates only. English and Russian.
 */
describe.skipIf(!runnable)('Console: one history across channels, replying on another channel', () => {
  const ui = useConsole({ apiChannel: 'Site widget' });
  const shots = screenshotDir();
  let wa: WhatsAppSandbox;
  let whatsapp: { channelId: string; phoneNumberId: string };

  beforeAll(async () => {
    wa = await new WhatsAppSandbox().start();
    whatsapp = await connectWhatsApp(ui.admin, wa, 'WhatsApp shop');
    wa.addTemplate(whatsapp.phoneNumberId, { name: 'order_update', language: 'en', bodyParameters: 0 });
  }, 60_000);
  afterAll(async () => {
    await wa?.settle();
    await wa?.stop();
  });

  type Convs = { items: { id: string; contact: { id: string; name: string | null } }[] };
  async function conversationOf(channelId: string, contactName: string) {
    for (let i = 0; i < 150; i++) {
      const r = await ui.admin.call<Convs>('GET', `/api/v1/conversations?channel=${channelId}&status=open`);
      const found = r.json.items.find((c) => c.contact.name === contactName);
      if (found) return found;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`no conversation of ${contactName}`);
  }

  /** The customer on WhatsApp first, then on the widget: merged into the widget's contact. */
  async function customer(phone: string, name: string, waText: string, webText: string) {
    await wa.customerSends(whatsapp.phoneNumberId, { from: phone, name, content: { text: waText } });
    const onWa = await conversationOf(whatsapp.channelId, name);
    await postInbound(ui.server, ui.channel, { externalId: `web-${phone}`, name }, webText);
    const onWeb = await conversationOf(ui.channel.id, name);
    const merged = await ui.admin.call('POST', `/api/v1/contacts/${onWeb.contact.id}/merge`, {
      otherContactId: onWa.contact.id,
    });
    expect(merged.status).toBe(200);
    return { waConv: onWa.id, webConv: onWeb.id };
  }

  /** Two days after the customer last wrote on `conversationId`, seen after a reload of `page`. */
  const windowClosed = async (page: Page, conversationId: string, shownText: string) => {
    await ui.server.ctx.db.kysely
      .updateTable('conversations')
      .set({ last_inbound_at: Date.now() - 2 * DAY })
      .where('id', '=', conversationId)
      .execute();
    await page.reload();
    await page.getByTestId('message-text').filter({ hasText: shownText }).waitFor();
  };

  async function pickVia(page: Page, label: string) {
    await page.getByTestId('reply-via-select').click();
    await page.getByRole('option', { name: label }).click();
  }

  it('shows the WhatsApp conversation above the widget one and answers on WhatsApp (English)', {
    timeout: 120_000,
  }, async () => {
    const phone = '79990001122';
    const s = await customer(phone, 'Olga Smirnova', 'Order 15 is late', 'Hello from your site');
    const page = await ui.signedInPage({ width: 1280, height: 900 });
    await page.goto(`${ui.server.url}/inbox/all/${s.webConv}`);
    await page.getByTestId('message-text').filter({ hasText: 'Hello from your site' }).waitFor();

    // Collapsed by default: nothing of the other channel until asked.
    const history = page.getByTestId('earlier-history');
    expect(await history.getByTestId('earlier-history-toggle').innerText()).toContain(
      'Earlier conversations on all channels',
    );
    expect(await history.getByTestId('earlier-history-message').count()).toBe(0);
    await history.getByTestId('earlier-history-toggle').click();
    const earlier = history.getByTestId('earlier-history-message');
    await earlier.first().waitFor();
    expect(await earlier.allInnerTexts()).toEqual([expect.stringContaining('Order 15 is late')]);
    expect(await history.getByTestId('earlier-history-channel').innerText()).toMatch(
      /^WhatsApp shop · started /,
    );

    // Answer on WhatsApp from the widget conversation: it goes out through the WhatsApp channel.
    await pickVia(page, 'WhatsApp shop');
    await page.getByTestId('composer-input').fill('We are on it, Olga');
    await page.getByTestId('composer-send').click();
    await page.getByTestId('reply-via-sent').waitFor();
    expect(await page.getByTestId('reply-via-sent').innerText()).toContain('Sent on WhatsApp shop.');
    await expect
      .poll(() => wa.sent(whatsapp.phoneNumberId, phone).map((m) => JSON.stringify(m)), { timeout: 20_000 })
      .toEqual([expect.stringContaining('We are on it, Olga')]);
    await expect.poll(() => earlier.count()).toBe(2);
    await page.screenshot({ path: join(shots, 'one-history.png') });

    // Two days later WhatsApp's 24-hour window has closed: the picker says why and offers templates.
    await windowClosed(page, s.waConv, 'Hello from your site');
    await pickVia(page, 'WhatsApp shop — templates only');
    expect(await page.getByTestId('reply-blocked').innerText()).toMatch(
      /The messaging window on WhatsApp shop closed at .+: the customer has to write there first\./,
    );
    await page.getByTestId('template-fallback-open').click();
    await page.getByTestId('template-name').fill('order_update');
    await page.getByTestId('template-language').fill('en');
    await page.getByTestId('template-send').click();
    await page.getByTestId('reply-via-sent').waitFor();
    await expect.poll(() => wa.sent(whatsapp.phoneNumberId, phone).length, { timeout: 20_000 }).toBe(2);
    expect(ui.problems).toEqual([]);
  });

  it('shows the same in Russian', { timeout: 120_000 }, async () => {
    const phone = '79990003344';
    const s = await customer(phone, 'Иван Петров', 'Где мой заказ?', 'Здравствуйте, это с сайта');
    const page = await ui.signedInPage({ width: 390, height: 800, lang: 'ru' });
    await page.goto(`${ui.server.url}/inbox/all/${s.webConv}`);
    await page.getByTestId('message-text').filter({ hasText: 'это с сайта' }).waitFor();
    const history = page.getByTestId('earlier-history');
    expect(await history.getByTestId('earlier-history-toggle').innerText()).toContain(
      'Прежние обращения во всех каналах',
    );
    await history.getByTestId('earlier-history-toggle').click();
    await history.getByTestId('earlier-history-message').first().waitFor();
    expect(await history.getByTestId('earlier-history-channel').innerText()).toMatch(
      /^WhatsApp shop · начато /,
    );
    expect(await history.innerText()).toContain('Где мой заказ?');

    await windowClosed(page, s.waConv, 'это с сайта');
    await pickVia(page, 'WhatsApp shop — только шаблоны');
    expect(await page.getByTestId('reply-blocked').innerText()).toMatch(
      /Окно переписки в канале «WhatsApp shop» закрылось .+: клиент должен сначала написать туда сам\./,
    );
    await page.screenshot({ path: join(shots, 'one-history-ru.png') });
    expect(ui.problems).toEqual([]);
  });
});
