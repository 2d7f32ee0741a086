// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir } from './console-harness.ts';
import { type ConsoleConversation, useConsole, waitUntil } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/**
 * Merging and splitting conversations in a real browser: a customer who wrote again after their first
 * conversation was resolved has two; the operator merges the old one into the new one ("Merge with…"),
 * the old address then opens the kept conversation, and "Split" moves a ticked message back out into a
 * new conversation, which opens. English and Russian.
 */
describe.skipIf(!runnable)('Console: merge and split conversations', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();

  /** Two conversations of one customer: the first resolved, the second open. */
  async function customer(externalId: string, name: string, first: string, second: string) {
    await ui.inbound({ externalId, name }, first);
    const [old] = await waitFor(name, 1);
    const resolved = await ui.admin.call('PATCH', `/api/v1/conversations/${old!.id}`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    await ui.inbound({ externalId, name }, second);
    const both = await waitFor(name, 2);
    const fresh = both.find((c) => c.id !== old!.id)!;
    return { old: old!.id, fresh: fresh.id };
  }

  async function waitFor(name: string, n: number): Promise<ConsoleConversation[]> {
    let mine: ConsoleConversation[] = [];
    await waitUntil(async () => {
      mine = (await ui.conversations('?limit=100')).filter((c) => c.contact.name === name);
      return mine.length >= n;
    }, `${n} conversations of ${name}`);
    return mine;
  }

  const texts = (page: Page) => page.getByTestId('message-text').allInnerTexts();

  async function mergeAndSplit(
    page: Page,
    s: { old: string; fresh: string },
    first: string,
    second: string,
    shot?: string,
  ) {
    await page.goto(`${ui.server.url}/inbox/all/${s.fresh}?status=any`);
    await page.getByTestId('message-text').filter({ hasText: second }).waitFor();
    await page.getByTestId('action-merge').click();
    const dialog = page.getByTestId('merge-dialog');
    const candidate = dialog.getByTestId('merge-candidate');
    await candidate.first().waitFor();
    expect(await candidate.count()).toBe(1);
    expect(await candidate.getAttribute('data-id')).toBe(s.old);
    await candidate.getByRole('button').click();
    await dialog.getByTestId('merge-preview').waitFor();
    if (shot) await page.screenshot({ path: join(shots, shot) });
    const preview = await dialog.getByTestId('merge-preview').innerText();
    await dialog.getByTestId('merge-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => texts(page))
      .toEqual([expect.stringContaining(first), expect.stringContaining(second)]);

    // The merged-away address opens the kept conversation.
    await page.goto(`${ui.server.url}/inbox/all/${s.old}?status=any`);
    await page.waitForURL((u) => u.pathname.endsWith(`/${s.fresh}`));
    await expect.poll(() => texts(page)).toHaveLength(2);

    // Split the first message back out: a new conversation of the customer opens with it.
    await page.getByTestId('action-split').click();
    const bar = page.getByTestId('split-bar');
    await bar.waitFor();
    const barText = await bar.innerText();
    await page.getByTestId('split-check').first().click();
    await page.getByTestId('split-confirm').click();
    await page.waitForURL((u) => !u.pathname.endsWith(`/${s.fresh}`) && !u.pathname.endsWith(`/${s.old}`));
    await expect.poll(() => texts(page)).toEqual([expect.stringContaining(first)]);
    const newId = new URL(page.url()).pathname.split('/').at(-1)!;
    const moved = await ui.admin.call<{ items: { text: string }[] }>(
      'GET',
      `/api/v1/conversations/${newId}/messages`,
    );
    expect(moved.json.items.map((m) => m.text)).toEqual([first]);
    const kept = await ui.admin.call<{ items: { text: string }[] }>(
      'GET',
      `/api/v1/conversations/${s.fresh}/messages`,
    );
    expect(kept.json.items.map((m) => m.text)).toEqual([second]);
    return { preview, barText };
  }

  it('merges the old conversation into the new one, redirects its address, and splits a message out (English)', {
    timeout: 120_000,
  }, async () => {
    const s = await customer('anna', 'Anna Petrova', 'Order 1 please', 'Where is order 2?');
    const page = await ui.signedInPage({ width: 1280, height: 900 });
    const r = await mergeAndSplit(page, s, 'Order 1 please', 'Where is order 2?', 'conversation-merge.png');
    expect(r.preview).toContain('1 message will move here');
    expect(r.preview).toContain('The conversation you keep wins');
    expect(r.barText).toContain('Select the messages to move into a new conversation');
    expect(ui.problems).toEqual([]);
  });

  it('does the same in Russian', { timeout: 120_000 }, async () => {
    const s = await customer('boris', 'Борис Иванов', 'Заказ 1', 'Где заказ 2?');
    const page = await ui.signedInPage({ width: 1280, height: 900, lang: 'ru' });
    await page.goto(`${ui.server.url}/inbox/all/${s.fresh}?status=any`);
    await page.getByTestId('message-text').filter({ hasText: 'Где заказ 2?' }).waitFor();
    expect(await page.getByTestId('action-merge').innerText()).toBe('Объединить с…');
    expect(await page.getByTestId('action-split').innerText()).toBe('Разделить');
    const r = await mergeAndSplit(page, s, 'Заказ 1', 'Где заказ 2?', 'conversation-merge-ru.png');
    expect(r.preview).toContain('Сюда перейдёт 1 сообщение');
    expect(r.barText).toContain('Отметьте сообщения');
    expect(r.preview).toContain('Метки объединяются');
    expect(ui.problems).toEqual([]);
  });
});
