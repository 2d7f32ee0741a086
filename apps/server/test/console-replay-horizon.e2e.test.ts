import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../src/modules/retention/retention.service.ts';
import {
  type ApiSession,
  type ConsoleServer,
  consoleSuiteRunnable,
  launchBrowser,
  newOperatorContext,
  postInbound,
  signIn,
  startConsoleServer,
  watchPage,
} from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * A console away for longer than the replay horizon: the events it missed were pruned, the server says
 * `resync replay_too_old`, and the console reloads what it shows instead of silently missing changes.
 */
describe.skipIf(!runnable)('Console: reconnecting past the replay horizon', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let admin: ApiSession;
  let page: Page;
  let blocked = false;
  const problems: string[] = [];
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    admin = await server.session(server.admin.email, server.admin.password);
    const created = await admin.call<{ id: string; connection: { secret: string } }>(
      'POST',
      '/api/v1/channels',
      { type: 'api', name: 'Shop' },
    );
    channel = { id: created.json.id, secret: created.json.connection.secret };
    await postInbound(server, channel, { externalId: 'cust-first', name: 'First Customer' }, 'Hello');
    page = watchPage(await (await newOperatorContext(browser)).newPage(), problems);
    // A network between the console and the server's socket that the test can cut.
    await page.route('**/socket.io/**', (route) => (blocked ? route.abort() : route.continue()));
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (blocked) ws.close();
      else ws.connectToServer();
    });
    await signIn(page, server.url, server.admin.email, server.admin.password);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reloads the inbox after a replay_too_old', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/inbox/all`);
    await page.locator('[data-testid=live-status][data-status=live]').waitFor();
    await page.getByTestId('conversation-row').filter({ hasText: 'First Customer' }).waitFor();

    blocked = true;
    server.node.gateway!.io.disconnectSockets(true);
    await page.locator('[data-testid=live-status]:not([data-status=live])').waitFor();
    // While it is away: a new customer writes, and retention prunes every event of that.
    await postInbound(server, channel, { externalId: 'cust-second', name: 'Second Customer' }, 'Hi');
    await expect
      .poll(
        async () =>
          (await admin.call<{ items: unknown[] }>('GET', '/api/v1/conversations')).json.items.length,
      )
      .toBe(2);
    const report = await runRetention(server.ctx, {
      ...server.ctx.config.retention,
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
    expect(problems.filter((p) => !/socket\.io|WebSocket|ERR_FAILED/i.test(p))).toEqual([]);
  });
});
