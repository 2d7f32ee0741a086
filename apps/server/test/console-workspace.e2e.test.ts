import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';
import { connectWhatsApp, consoleSuiteRunnable, postInbound, unnamedControls } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();
const OLGA = '79990001122';

/**
 * The console a team works in all day (issue 18, "The console a team chooses"): what each list row
 * tells, the contact column, the command palette, search filters, density and keyboard access.
 */
describe.skipIf(!runnable)('Console workspace (Chromium)', () => {
  const ui = useConsole({ apiChannel: 'Shop backend' });
  let wa: WhatsAppSandbox;
  let whatsappId = '';
  let olgaConversation = '';
  let bobConversation = '';

  type Convs = { items: { id: string; contact: { name: string | null } }[] };
  const conversationsOf = async (query: string, n = 1) => {
    let convs = await ui.admin.call<Convs>('GET', `/api/v1/conversations?${query}`);
    for (let i = 0; i < 150 && convs.json.items.length < n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      convs = await ui.admin.call<Convs>('GET', `/api/v1/conversations?${query}`);
    }
    return convs.json.items;
  };

  beforeAll(async () => {
    wa = await new WhatsAppSandbox().start();
    const number = await connectWhatsApp(ui.admin, wa, 'WhatsApp shop');
    whatsappId = number.channelId;
    await wa.customerSends(number.phoneNumberId, {
      from: OLGA,
      name: 'Olga Smirnova',
      content: { text: 'I need size M' },
    });
    olgaConversation = (await conversationsOf(`channel=${whatsappId}`))[0]!.id;
    await postInbound(ui.server, ui.channel, { externalId: 'bob', name: 'Bob Stone' }, 'Where is my parcel?');
    bobConversation = (await conversationsOf(`channel=${ui.channel.id}`))[0]!.id;
  }, 60_000);

  afterAll(async () => {
    await wa?.settle();
    await wa?.stop();
    expect(ui.problems).toEqual([]);
  });

  const row = (page: Page, id: string) =>
    page.locator(`[data-testid=conversation-row][data-conversation-id="${id}"]`);

  for (const lang of ['en', 'ru'] as const)
    for (const width of [375, 1440])
      it(`a row shows its channel's icon and name and how long the customer waits (${lang}, ${width} px)`, async () => {
        const page = await ui.signedInPage({ width, height: 800, lang });
        await page.goto(`${ui.server.url}/inbox/all`);
        const olga = row(page, olgaConversation);
        const bob = row(page, bobConversation);
        await olga.waitFor();
        await expect
          .poll(() => olga.getByTestId('row-channel').locator('svg').getAttribute('data-channel-kind'))
          .toBe('whatsapp');
        expect(await bob.getByTestId('row-channel').locator('svg').getAttribute('data-channel-kind')).toBe(
          'api',
        );
        expect(await olga.getByTestId('row-channel').innerText()).toBe('WhatsApp shop');
        expect(await bob.getByTestId('row-channel').innerText()).toBe('Shop backend');
        // The channel name fits the row at both widths (not cut to a stub).
        const box = await olga.getByTestId('row-channel').boundingBox();
        expect(box!.width).toBeGreaterThan(60);
        const waiting = olga.getByTestId('row-waiting');
        // Minutes since Olga wrote (the suite takes a few): short in the row, whole words in its title.
        expect(await waiting.getByTestId('row-waiting-short').innerText()).toMatch(
          lang === 'en' ? /^\d min$/ : /^\d мин$/,
        );
        expect(await waiting.getAttribute('title')).toMatch(
          lang === 'en' ? /^Waiting: \d minutes?$/ : /^Ожидание: \d минут[аы]?$/,
        );
        expect(await unnamedControls(page)).toEqual([]);
        await page.context().close();
      });

  it('an answered conversation no longer shows a wait', async () => {
    const page = await ui.signedInPage({ width: 1440, height: 900 });
    await page.goto(`${ui.server.url}/inbox/all/${bobConversation}`);
    await row(page, bobConversation).getByTestId('row-waiting').waitFor();
    const sent = await ui.admin.call('POST', `/api/v1/conversations/${bobConversation}/messages`, {
      text: 'On its way',
      clientMessageId: 'ws-answer-bob',
    });
    expect(sent.status).toBe(202);
    await row(page, bobConversation).getByTestId('row-waiting').waitFor({ state: 'detached' });
    await page.context().close();
  });
});
