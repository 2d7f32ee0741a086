// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  postInbound,
  screenshotDir,
  signIn,
  unnamedControls,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { useCallbackServer } from './fake-callback-server.ts';

// CI installs Chromium and builds the console before the tests (npm's pretest); elsewhere a missing
const runnable = consoleSuiteRunnable();

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!runnable)('Operator console in Chromium', () => {
  const ui = useConsole();
  const callbacks = useCallbackServer();
  let aliceCtx: BrowserContext;
  let bobCtx: BrowserContext;
  let alice: Page;
  let bob: Page;
  const shots = screenshotDir();
  const bobUser = { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob Operator' };
  let channel: { id: string; secret: string; name: string; webhookUrl: string };
  const maria = { externalId: 'cust-maria', name: 'Maria Lopez' };
  let conversationId = '';

  beforeAll(async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' });
    expect(created.status).toBe(201);
    aliceCtx = await newOperatorContext(ui.browser);
    bobCtx = await newOperatorContext(ui.browser);
    alice = watchPage(await aliceCtx.newPage(), ui.problems);
    bob = watchPage(await bobCtx.newPage(), ui.problems);
  }, 60_000);

  it('signs both operators in through the login page', async () => {
    await alice.goto(`${ui.server.url}/`);
    await alice.locator('input[type=email]').waitFor();
    await alice.screenshot({ path: join(shots, 'login.png') });
    // A wrong password is refused with a readable message, and nothing else happens.
    await alice.locator('input[type=email]').fill(ui.server.admin.email);
    await alice.locator('input[type=password]').fill('not-the-password');
    await alice.locator('form button[type=submit]').click();
    await expect.poll(() => alice.getByRole('alert').innerText()).toContain('Wrong e-mail or password');

    await signIn(alice, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await signIn(bob, ui.server.url, bobUser.email, bobUser.password);
    // Only the HttpOnly session cookie is kept; no token lands in web storage.
    const stored = await alice.evaluate(() => JSON.stringify({ ...window.localStorage }));
    expect(stored).not.toMatch(/csrf|session|token/i);
  });

  it('lets the admin create an API channel and shows its webhook URL and secret', async () => {
    await alice.goto(`${ui.server.url}/admin/channels`);
    await alice.getByTestId('channel-new').click();
    await alice.getByTestId('channel-name').fill('Website chat');
    await alice.getByTestId('channel-create').click();
    const created = alice.getByTestId('channel-created');
    await created.waitFor();
    const webhookUrl = await created.getByTestId('channel-webhook-url').innerText();
    expect(webhookUrl).toMatch(new RegExp(`^${ui.server.url}/webhooks/api/[0-9a-f-]+$`));
    // The secret is masked until asked for.
    expect(await created.getByTestId('channel-secret').innerText()).toMatch(/^•+$/);
    await created.getByRole('button', { name: 'Show' }).click();
    const secret = await created.getByTestId('channel-secret').innerText();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    channel = { id: webhookUrl.split('/').pop()!, secret, name: 'Website chat', webhookUrl };
    // The callback URL for replies is set afterwards, by editing the channel.
    await alice.getByTestId('channel-card').getByTestId('channel-edit').click();
    await alice.getByTestId('channel-edit-callback').fill(callbacks.url);
    await alice.getByTestId('channel-save').click();
    await alice.getByRole('dialog').waitFor({ state: 'detached' });
    await alice.screenshot({ path: join(shots, 'admin-channels.png') });
  });

  it('shows a new customer message live to both operators', async () => {
    await Promise.all([alice.goto(`${ui.server.url}/inbox/all`), bob.goto(`${ui.server.url}/inbox/all`)]);
    for (const p of [alice, bob]) await p.locator('[data-testid=live-status][data-status=live]').waitFor();
    await postInbound(ui.server, channel, maria, 'Hello, my order #1042 has not arrived yet');
    for (const p of [alice, bob]) {
      const row = p.getByTestId('conversation-row').filter({ hasText: 'Maria Lopez' });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.getByTestId('row-preview').innerText()).toBe(
        'Hello, my order #1042 has not arrived yet',
      );
      expect(await row.getByTestId('row-assignee').innerText()).toMatch(/unassigned/i);
      expect(await row.getByTestId('row-unread').count()).toBe(1);
    }
    conversationId = (await alice
      .getByTestId('conversation-row')
      .filter({ hasText: 'Maria Lopez' })
      .getAttribute('data-conversation-id'))!;
    // Counts come from the server's counts endpoint, refreshed shortly after a change.
    await expect.poll(() => bob.getByTestId('count-unassigned').innerText()).toBe('1');
    // The tab title counts unseen customer messages, so a background tab still says so.
    await expect.poll(() => bob.title()).toBe('(1) Switchboard');
  });

  it('lets one operator take the conversation and reply; the other sees both', async () => {
    await alice.getByTestId('conversation-row').filter({ hasText: 'Maria Lopez' }).click();
    await alice.getByTestId('message-text').filter({ hasText: 'order #1042' }).waitFor();
    await alice.getByTestId('action-assign-me').click();
    await expect.poll(() => alice.getByTestId('conversation-assignee').innerText()).toBe('You');

    const box = alice.getByTestId('composer-input');
    await box.fill('Hi Maria, let me check.');
    await box.press('Shift+Enter');
    await box.pressSequentially('One moment please.');
    await box.press('Enter');
    const reply = alice.getByTestId('message').filter({ hasText: 'let me check' });
    await reply.waitFor();
    expect(await reply.getByTestId('message-text').innerText()).toBe(
      'Hi Maria, let me check.\nOne moment please.',
    );
    // Delivered by the worker to the channel's callback URL, and the status follows live.
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toMatch(/sent|delivered/);
    expect(callbacks.received.length).toBe(1);
    expect((callbacks.received[0]!.body as { message: { text: string } }).message.text).toBe(
      'Hi Maria, let me check.\nOne moment please.',
    );
    await expect.poll(() => alice.getByTestId('count-mine').innerText()).toBe('1');

    // Bob, without reloading: the row shows Alice as assignee and leaves his Unassigned queue.
    const bobRow = bob.getByTestId('conversation-row').filter({ hasText: 'Maria Lopez' });
    await expect
      .poll(() => bobRow.getByTestId('row-assignee').innerText(), { timeout: 10_000 })
      .toBe('Alice Admin');
    await expect.poll(() => bobRow.getByTestId('row-preview').innerText()).toContain('let me check');
    await expect.poll(() => bob.getByTestId('count-unassigned').innerText()).toBe('0');
    await bobRow.click();
    await bob.getByTestId('message-text').filter({ hasText: 'let me check' }).waitFor();
    expect(await bob.getByTestId('conversation-assignee').innerText()).toBe('Alice Admin');

    // A private note is marked as such for both, and is not sent to the customer.
    await alice.getByTestId('composer-mode').getByText('Private note').click();
    // ...mentioning Bob: "@bo" offers him, Enter picks him.
    const input = alice.getByTestId('composer-input');
    await input.pressSequentially('@bo');
    await alice.getByTestId('mention-list').getByRole('option', { name: 'Bob Operator' }).waitFor();
    await input.press('Enter');
    await input.pressSequentially('VIP customer, be nice');
    expect(await input.inputValue()).toBe('@Bob Operator VIP customer, be nice');
    await input.press('Enter');
    const note = bob.locator('[data-testid=message][data-kind=note]').filter({ hasText: 'VIP customer' });
    await note.waitFor({ timeout: 10_000 });
    expect(await note.getByTestId('mention').innerText()).toBe('@Bob Operator');
    expect(callbacks.received.length).toBe(1);
    await alice.screenshot({ path: join(shots, 'conversation.png') });
  });

  it('catches up after a network drop without a reload', async () => {
    const marker = await bob.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      return true;
    });
    expect(marker).toBe(true);
    await bobCtx.setOffline(true);
    await bob.locator('[data-testid=live-status][data-status=offline]').waitFor({ timeout: 10_000 });
    await postInbound(ui.server, channel, maria, 'Are you still there? (sent while Bob was offline)');
    await postInbound(
      ui.server,
      channel,
      { externalId: 'cust-ivan', name: 'Иван Петров' },
      'Здравствуйте! Где мой заказ?',
    );
    // Alice, online, sees them live; Bob cannot while his network is down.
    await alice.getByTestId('message-text').filter({ hasText: 'still there' }).waitFor({ timeout: 10_000 });
    await alice.getByTestId('conversation-row').filter({ hasText: 'Иван Петров' }).waitFor();
    expect(await bob.getByTestId('message-text').filter({ hasText: 'still there' }).count()).toBe(0);

    await bobCtx.setOffline(false);
    await bob.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
    await bob.getByTestId('message-text').filter({ hasText: 'still there' }).waitFor({ timeout: 10_000 });
    await bob.getByTestId('conversation-row').filter({ hasText: 'Иван Петров' }).waitFor({ timeout: 10_000 });
    // In order, once each, and in the same document (no reload happened).
    const texts = await bob.getByTestId('message-text').allInnerTexts();
    expect(texts.filter((t) => t.includes('still there'))).toHaveLength(1);
    expect(texts.indexOf(texts.find((t) => t.includes('still there'))!)).toBe(texts.length - 1);
    expect(await bob.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(
      true,
    );
  });

  it('holds a reply written offline and sends it once when the network is back', async () => {
    await bobCtx.setOffline(true);
    await bob.locator('[data-testid=live-status][data-status=offline]').waitFor({ timeout: 10_000 });
    await bob.getByTestId('composer-input').fill('Written on a train');
    await bob.getByTestId('composer-input').press('Enter');
    const mine = bob.getByTestId('message').filter({ hasText: 'Written on a train' });
    await mine.waitFor();
    expect(await mine.getByTestId('delivery').getAttribute('data-status')).toBe('sending');
    await bob.waitForTimeout(500);
    expect(await alice.getByTestId('message-text').filter({ hasText: 'Written on a train' }).count()).toBe(0);

    await bobCtx.setOffline(false);
    await expect
      .poll(() => mine.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toMatch(/queued|sent|delivered/);
    await alice
      .getByTestId('message-text')
      .filter({ hasText: 'Written on a train' })
      .waitFor({ timeout: 10_000 });
    expect(await mine.count()).toBe(1);
    expect(await alice.getByTestId('message-text').filter({ hasText: 'Written on a train' }).count()).toBe(1);
  });

  it('shows the contact panel and obeys keyboard shortcuts', async () => {
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await alice.getByTestId('message-text').first().waitFor();
    await alice.keyboard.press('?');
    await alice.getByTestId('shortcuts-help').waitFor();
    await alice.keyboard.press('Escape');
    await alice.getByTestId('shortcuts-help').waitFor({ state: 'detached' });

    await alice.getByTestId('open-contact').click();
    const panel = alice.getByTestId('contact-panel');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('cust-maria');
    expect(await panel.getByTestId('contact-conversation').count()).toBe(1);
    // Renaming the contact shows everywhere at once, Bob's list included.
    await panel.getByTestId('contact-edit').click();
    await panel.getByTestId('contact-name').fill('Maria Lopez-Garcia');
    await panel.getByTestId('contact-save').click();
    await expect.poll(() => alice.getByTestId('conversation-contact').innerText()).toBe('Maria Lopez-Garcia');
    await expect
      .poll(() => bob.getByTestId('conversation-row').filter({ hasText: 'Maria Lopez-Garcia' }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await panel.getByTestId('contact-edit').click();
    await panel.getByTestId('contact-name').fill('Maria Lopez');
    await panel.getByTestId('contact-save').click();
    await expect.poll(() => alice.getByTestId('conversation-contact').innerText()).toBe('Maria Lopez');
    await alice.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    // e resolves, e again reopens; r puts the cursor in the reply box.
    const status = alice.getByTestId('conversation-status');
    await alice.keyboard.press('e');
    await expect.poll(() => status.getAttribute('data-status')).toBe('resolved');
    await alice.keyboard.press('e');
    await expect.poll(() => status.getAttribute('data-status')).toBe('open');
    await alice.keyboard.press('r');
    expect(await alice.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'composer-input',
    );
    // j and k walk the list, one row down and back up.
    await alice.keyboard.press('Escape');
    const order = await alice
      .getByTestId('conversation-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')));
    const at = order.indexOf(conversationId);
    const [away, back] = at === 0 ? ['j', 'k'] : ['k', 'j'];
    const neighbour = order[at === 0 ? 1 : at - 1]!;
    await alice.keyboard.press(away);
    await expect.poll(() => alice.url()).toContain(neighbour);
    await alice.keyboard.press(back);
    await expect.poll(() => alice.url()).toContain(conversationId);
  });

  it('lets the admin create a team and put an operator in it', async () => {
    await alice.goto(`${ui.server.url}/admin/teams`);
    await alice.getByTestId('team-name').fill('Billing');
    await alice.getByTestId('team-create').click();
    await alice.getByTestId('team-card').filter({ hasText: 'Billing' }).waitFor();
    await alice.goto(`${ui.server.url}/admin/users`);
    const bobRow = alice.getByTestId('user-row').filter({ hasText: 'Bob Operator' });
    await bobRow.getByRole('combobox', { name: 'Teams' }).click();
    await alice.getByRole('option', { name: 'Billing' }).click();
    await alice.keyboard.press('Escape');
    await alice.goto(`${ui.server.url}/admin/teams`);
    await expect
      .poll(() => alice.getByTestId('team-card').filter({ hasText: 'Billing' }).innerText())
      .toContain('Bob Operator');
  });

  it('gives every control on the main screens an accessible name', async () => {
    for (const path of [`/inbox/all/${conversationId}`, '/admin/channels', '/admin/users', '/team']) {
      await alice.goto(`${ui.server.url}${path}`);
      await alice.locator('[data-testid=live-status][data-status=live]').waitFor();
      await alice.waitForLoadState('networkidle');
      expect(await unnamedControls(alice), path).toEqual([]);
    }
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await alice.locator('[data-testid=live-status][data-status=live]').waitFor();
    // Dialogs too (their close buttons have no text).
    await alice.keyboard.press('?');
    await alice.getByTestId('shortcuts-help').waitFor();
    expect(await unnamedControls(alice), 'shortcuts dialog').toEqual([]);
    await alice.keyboard.press('Escape');
    await alice.getByTestId('open-contact').click();
    await alice.getByTestId('contact-panel').waitFor();
    expect(await unnamedControls(alice), 'contact panel').toEqual([]);
    await alice.keyboard.press('Escape');
    await alice.getByTestId('contact-panel').waitFor({ state: 'detached' });
  });

  it('renders customer-supplied markup as text', async () => {
    await postInbound(ui.server, channel, { externalId: 'cust-xss', name: XSS }, XSS);
    const row = alice.getByTestId('conversation-row').filter({ hasText: XSS });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('row-contact').innerText()).toBe(XSS);
    expect(await row.getByTestId('row-preview').innerText()).toBe(XSS);
    await row.click();
    await alice.getByTestId('message-text').filter({ hasText: 'onerror' }).waitFor();
    expect(await alice.getByTestId('message-text').filter({ hasText: 'onerror' }).innerText()).toBe(XSS);
    expect(await alice.getByTestId('conversation-contact').innerText()).toBe(XSS);
    expect(await alice.locator('img[src="x"]').count()).toBe(0);
    expect(ui.problems).toEqual([]);
  });

  it("shows supervisors the team's live state, presence included", async () => {
    // Signing in at the console made both online; they step away, so Bob coming back is what the screen shows.
    for (const u of [ui.server.admin, bobUser]) {
      const s = await ui.server.session(u.email, u.password);
      expect((await s.call('PATCH', '/api/v1/me', { availability: 'offline' })).status).toBe(200);
    }
    await alice.goto(`${ui.server.url}/team`);
    await expect.poll(() => alice.getByTestId('stat-queue').innerText()).toBe('2');
    expect(await alice.getByTestId('stat-oldest').innerText()).toMatch(/^\d+ min$/);
    const rows = alice.getByTestId('supervise-row');
    await expect
      .poll(() => rows.filter({ hasText: 'Alice Admin' }).getByTestId('supervise-open').innerText())
      .toBe('1');
    expect(await rows.filter({ hasText: 'Bob Operator' }).getByTestId('supervise-open').innerText()).toBe(
      '0',
    );
    expect(await alice.getByTestId('stat-online').innerText()).toBe('0');

    // Bob goes online with the presence selector; Alice's screen follows without a reload.
    await bob.bringToFront();
    await bob.getByTestId('presence-select').click();
    await bob.getByRole('option', { name: 'Online' }).click();
    await alice.bringToFront();
    await expect.poll(() => alice.getByTestId('stat-online').innerText(), { timeout: 10_000 }).toBe('1');
    expect(await rows.filter({ hasText: 'Bob Operator' }).innerText()).toContain('Online');
    await alice.screenshot({ path: join(shots, 'team-now.png') });
  });
});
