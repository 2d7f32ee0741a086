import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/**
 * Texts a user must be able to read whole on a wide screen (issue 18, items 3–4): every element
 * matching `selector` inside `scope` that cuts its own text or sticks out of `container`.
 */
function clippedTexts(scope: Locator, selector: string, container: string): Promise<string[]> {
  return scope.evaluate(
    (root, [sel, box]) => {
      const bad: string[] = [];
      for (const el of root.querySelectorAll<HTMLElement>(sel)) {
        const r = el.getBoundingClientRect();
        const c = (el.closest(box) ?? root).getBoundingClientRect();
        const cut = el.scrollWidth > el.clientWidth + 1;
        const out = r.left < c.left - 1 || r.right > c.right + 1;
        if (cut || out || r.width < 8) bad.push(`${el.textContent} (${Math.round(r.width)} px)`);
      }
      return bad;
    },
    [selector, container] as const,
  );
}

describe.skipIf(!runnable)('Console layout at 1440 px', () => {
  const ui = useConsole({ apiChannel: 'Shop backend' });
  let conversationId = '';

  beforeAll(async () => {
    // A long first message: the preview next to the badges takes all the room it is given.
    const contact = { externalId: 'cust-wide', name: 'Wilhelmina Longname-Example' };
    await ui.inbound(contact, `Where is my order? ${'Please check it. '.repeat(20)}`);
    conversationId = (await ui.awaitConversations(1))[0]!.id;
  });

  afterAll(() => {
    expect(ui.problems).toEqual([]);
  });

  for (const lang of ['en', 'ru'] as const) {
    it(`shows the contact panel's badges and the export options whole (${lang})`, async () => {
      const page = await ui.open(`/inbox/all/${conversationId}?status=any`, {
        width: 1440,
        height: 900,
        lang,
      });
      try {
        // At 1440 px the contact is a column beside the conversation, there without a click.
        const row = page.getByTestId('contact-column').getByTestId('contact-conversation').first();
        await row.waitFor({ timeout: 15_000 });
        // "This conversation" and the status badge, as rendered text.
        await expect.poll(() => row.locator('.mantine-Badge-label').count(), { timeout: 10_000 }).toBe(2);
        expect(await clippedTexts(row, '.mantine-Badge-label', '[data-testid=contact-conversation]')).toEqual(
          [],
        );

        await page.getByTestId('export-open').click();
        const dialog = page.getByTestId('export-dialog').locator('.mantine-Modal-content');
        await dialog.getByTestId('export-kind').waitFor();
        await expect
          .poll(() => dialog.locator('.mantine-SegmentedControl-label').count(), { timeout: 10_000 })
          .toBe(4);
        // A control wider than the dialog scrolls its last option out of sight: both are checked.
        const options = '.mantine-SegmentedControl-root, .mantine-SegmentedControl-label';
        expect(await clippedTexts(dialog, options, '.mantine-SegmentedControl-root')).toEqual([]);
      } finally {
        await page.context().close();
      }
    }, 90_000);
  }
});
