import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../src/modules/retention/retention.service.ts';
import { consoleSuiteRunnable, signIn } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

/**
 * A console away for longer than the replay horizon: the events it missed were pruned, the server says
 * `resync replay_too_old`, and the console reloads what it shows instead of silently missing changes.
 */
describe.skipIf(!runnable)('Console: reconnecting past the replay horizon', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  let page: Page;
  let blocked = false;

  beforeAll(async () => {
    await ui.inbound({ externalId: 'cust-first', name: 'First Customer' }, 'Hello');
    page = await ui.page();
    // A network between the console and the server's socket that the test can cut.
    await page.route('**/socket.io/**', (route) => (blocked ? route.abort() : route.continue()));
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (blocked) ws.close();
      else ws.connectToServer();
    });
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
  }, 60_000);

  it('reloads the inbox after a replay_too_old', { timeout: 60_000 }, async () => {
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.locator('[data-testid=live-status][data-status=live]').waitFor();
    await page.getByTestId('conversation-row').filter({ hasText: 'First Customer' }).waitFor();

    blocked = true;
    ui.server.node.gateway!.io.disconnectSockets(true);
    await page.locator('[data-testid=live-status]:not([data-status=live])').waitFor();
    // While it is away: a new customer writes, and retention prunes every event of that.
    await ui.inbound({ externalId: 'cust-second', name: 'Second Customer' }, 'Hi');
    await expect
      .poll(
        async () =>
          (await ui.admin.call<{ items: unknown[] }>('GET', '/api/v1/conversations')).json.items.length,
      )
      .toBe(2);
    const report = await runRetention(ui.server.ctx, {
      ...ui.server.ctx.config.retention,
      accountEventsMs: -1,
      accountEventsKeep: 0,
    });
    expect(report.accountEvents).toBeGreaterThan(0);

    blocked = false;
    await page.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 20_000 });
    await page
      .getByTestId('conversation-row')
      .filter({ hasText: 'Second Customer' })
      .waitFor({ timeout: 10_000 });
    expect(ui.problems.filter((p) => !/socket\.io|WebSocket|ERR_FAILED/i.test(p))).toEqual([]);
  });
});
