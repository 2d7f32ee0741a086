import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastFailures, keyboardFocusReport } from './a11y-checks.ts';
import { consoleSuiteRunnable } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { ADMIN_SCREENS, consoleScreens } from './console-screens.ts';

const runnable = consoleSuiteRunnable();

/**
 * Accessibility of the whole console (issue 18): text contrast at WCAG AA measured on the rendered
 * screens in both languages, and every control reachable with Tab and visibly focused.
 */
describe.skipIf(!runnable)('Console accessibility (Chromium)', () => {
  const ui = useConsole({ apiChannel: 'Shop backend' });
  let conversation = '';
  let screens: string[] = [];

  beforeAll(async () => {
    await ui.admin.call('POST', '/api/v1/channels', { type: 'widget', name: 'Website chat' });
    await ui.inbound({ externalId: 'bob', name: 'Bob Stone' }, 'Where is my parcel?');
    await ui.inbound({ externalId: 'eva', name: 'Eva Green' }, 'Do you ship to Riga?');
    const convs = await ui.awaitConversations(2);
    conversation = convs.find((c) => c.contact.name === 'Bob Stone')!.id;
    // Labels, a note and an assignment, so badges and notes are on the screens measured.
    expect(
      (await ui.admin.call('PATCH', `/api/v1/conversations/${conversation}`, { labels: ['vip'] })).status,
    ).toBe(200);
    await ui.admin.call('POST', `/api/v1/conversations/${conversation}/messages`, {
      text: 'Checking with the warehouse',
      private: true,
      clientMessageId: 'a11y-note',
    });
    screens = consoleScreens(conversation, 'parcel', [...ADMIN_SCREENS, 'bots', 'sla']);
    // The unopened list too, as it looked before a conversation is picked.
    screens.splice(1, 0, '/inbox/all');
  }, 60_000);

  const settle = async (page: Page, path: string) => {
    await page.goto(`${ui.server.url}${path}`);
    await page.locator('[data-testid=live-status][data-status=live]').waitFor();
    await page.waitForLoadState('networkidle');
    // Transitions (drawers, fades) end before colours are read.
    await page.waitForTimeout(300);
  };

  it('the checks catch what they look for: faint text, a control Tab skips, a focus with no ring', async () => {
    const page = await ui.page();
    await page.setContent(`<main style="font: 14px sans-serif">
      <p style="color: #999">Faint</p><p style="color: #595959">Dark enough</p>
      <p style="color: #222; opacity: 0.4">Faded</p>
      <div style="background: #1c7ed6"><span style="color: #fff">White on blue 6</span></div>
      <style>.faint::placeholder { color: #aaa }</style>
      <input class="faint" placeholder="Faint placeholder"><input placeholder="Default placeholder">
      <button style="outline: none">No ring</button><button>Ring</button>
      <div role="button">Not focusable</div></main>`);
    expect((await contrastFailures(page)).map((f) => f.text).sort()).toEqual(
      ['Faded', 'Faint', 'White on blue 6', 'placeholder: Faint placeholder'].sort(),
    );
    const focus = await keyboardFocusReport(page);
    expect(focus.unreachable).toEqual(['Not focusable']);
    expect(focus.invisible).toEqual(['No ring']);
    await page.context().close();
  });

  it('the sign-in page has AA contrast (en, ru)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const page = await ui.page({ width: 1440, height: 900, lang });
      await page.goto(`${ui.server.url}/`);
      await page.locator('input[type=email]').waitFor();
      expect(await contrastFailures(page)).toEqual([]);
      await page.context().close();
    }
  });

  for (const lang of ['en', 'ru'] as const)
    it(`every screen's text has AA contrast (${lang}, 1440 px; inbox and conversation at 375 px too)`, async () => {
      const failures: Record<string, unknown[]> = {};
      const page = await ui.signedInPage({ width: 1440, height: 900, lang });
      for (const path of screens) {
        await settle(page, path);
        const found = await contrastFailures(page);
        if (found.length) failures[path] = found;
      }
      await page.context().close();
      const phone = await ui.signedInPage({ width: 375, height: 800, lang });
      for (const path of ['/inbox/all', `/inbox/all/${conversation}`]) {
        await settle(phone, path);
        const found = await contrastFailures(phone);
        if (found.length) failures[`${path} @375`] = found;
      }
      await phone.context().close();
      expect(failures).toEqual({});
    }, 400_000);

  it('every control of every screen is reachable with Tab and shows where the focus is', async () => {
    const problems: Record<string, { unreachable: string[]; invisible: string[] }> = {};
    const page = await ui.signedInPage({ width: 1440, height: 900 });
    let controls = 0;
    for (const path of screens) {
      await settle(page, path);
      const r = await keyboardFocusReport(page);
      controls += r.controls;
      if (r.unreachable.length || r.invisible.length)
        problems[path] = { unreachable: r.unreachable, invisible: r.invisible };
    }
    await page.context().close();
    expect(problems).toEqual({});
    // The walk measured something: the screens have many controls.
    expect(controls).toBeGreaterThan(200);
  }, 600_000);
});
