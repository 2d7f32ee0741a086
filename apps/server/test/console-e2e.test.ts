// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  postInbound,
  screenshotDir,
  seedHistory,
  signIn,
  unnamedControls,
  untranslatedWords,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { FakeCallbackServer } from './fake-callback-server.ts';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';

// CI installs Chromium and builds the console before the tests (npm's pretest); elsewhere a missing
const runnable = consoleSuiteRunnable();

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!runnable)('Operator console in Chromium', () => {
  const ui = useConsole();
  let callbacks: FakeCallbackServer;
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
    callbacks = await new FakeCallbackServer().start();
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' });
    expect(created.status).toBe(201);
    aliceCtx = await newOperatorContext(ui.browser);
    bobCtx = await newOperatorContext(ui.browser);
    alice = watchPage(await aliceCtx.newPage(), ui.problems);
    bob = watchPage(await bobCtx.newPage(), ui.problems);
  }, 60_000);

  afterAll(async () => {
    await callbacks?.stop();
  });

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

  it('finds messages with search and opens the conversation', async () => {
    await alice.goto(`${ui.server.url}/inbox/all`);
    await alice.locator('[data-testid=live-status][data-status=live]').waitFor();
    await alice.keyboard.press('/');
    await alice.keyboard.type('arrived');
    await alice.keyboard.press('Enter');
    await expect.poll(() => alice.url()).toContain('/search?q=arrived');
    // The index may trail the message by a moment: search again until it is there.
    const hit = alice.getByTestId('search-hit').filter({ hasText: 'Maria Lopez' });
    await expect
      .poll(
        async () => {
          if (!(await hit.count())) await alice.reload();
          return hit.count();
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    expect(await hit.first().locator('mark').first().innerText()).toMatch(/arrived/i);
    // The search results export with their query: only the matching messages.
    await alice.getByTestId('export-open').click();
    const dialog = alice.getByRole('dialog');
    await dialog.getByText('One row per message').click();
    const [request] = await Promise.all([
      alice.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/exports')),
      dialog.getByTestId('export-start').click(),
    ]);
    expect(request.postDataJSON()).toEqual({ kind: 'messages', format: 'xlsx', filter: { q: 'arrived' } });
    await dialog.getByTestId('export-download').waitFor({ timeout: 15_000 });
    expect(await dialog.getByTestId('export-done').innerText()).toMatch(/Ready: [1-9]\d* rows/);
    await alice.keyboard.press('Escape');
    await hit.first().click();
    await expect.poll(() => alice.url()).toContain(conversationId);
    // ...at the matching message, marked.
    expect(alice.url()).toMatch(/[?&]m=/);
    const marked = alice.locator('[data-testid=message][data-highlight]');
    await marked.waitFor();
    expect(await marked.innerText()).toContain('arrived');
  });

  it('shows no untranslated English on the main screens in Russian', async () => {
    const data = [
      'Acme Support',
      ui.server.admin.name,
      bobUser.name,
      ui.server.admin.email,
      bobUser.email,
      channel.name,
      channel.secret,
      channel.webhookUrl,
      ui.server.url,
      maria.name,
      XSS,
      'Hello, my order #1042 has not arrived yet',
      'Hi Maria, let me check.',
      'One moment please.',
      'VIP customer, be nice',
      'Written on a train',
      '«arrived»',
      'Billing',
      'Are you still there? (sent while Bob was offline)',
    ];
    // Avatars show the initials of those names.
    for (const name of [ui.server.admin.name, bobUser.name, maria.name])
      data.push(
        name
          .split(' ')
          .map((w) => w[0])
          .join(''),
      );
    await alice.locator('header label', { hasText: 'Русский' }).click();
    await expect.poll(() => alice.evaluate(() => document.documentElement.lang)).toBe('ru');

    const screens: [string, string][] = [
      ['inbox-ru', `/inbox/all/${conversationId}`],
      ['inbox-mine-ru', '/inbox/mine'],
      ['admin-channels-ru', '/admin/channels'],
      ['admin-users-ru', '/admin/users'],
      ['team-ru', '/team'],
      ['search-ru', '/search?q=arrived'],
    ];
    for (const [name, path] of screens) {
      await alice.goto(`${ui.server.url}${path}`);
      await alice.locator('[data-testid=live-status][data-status=live]').waitFor();
      if (name === 'inbox-ru') await alice.getByTestId('message-text').first().waitFor();
      if (name === 'admin-users-ru') await alice.getByTestId('user-row').first().waitFor();
      if (name === 'admin-channels-ru') await alice.getByTestId('channel-card').first().waitFor();
      if (name === 'search-ru') await alice.getByTestId('search-hit').first().waitFor();
      const text = await alice.locator('body').innerText();
      expect(untranslatedWords(text, data), `${path}:\n${text}`).toEqual([]);
      const labels = await alice.evaluate(() =>
        // What a person or a screen reader meets: visible, not hidden from assistive technology.
        [...document.querySelectorAll('[aria-label],[placeholder],[title]')]
          .filter((el) => el.checkVisibility() && !el.closest('[aria-hidden=true]'))
          .map((el) => ['aria-label', 'placeholder', 'title'].map((a) => el.getAttribute(a) ?? '').join(' '))
          .join('\n'),
      );
      expect(untranslatedWords(labels, data), `${path} attributes`).toEqual([]);
      if (name === 'inbox-ru') await alice.screenshot({ path: join(shots, 'inbox-ru.png') });
    }

    // The login page too, in a fresh Russian browser.
    const ctx = await newOperatorContext(ui.browser, { lang: 'ru' });
    const page = watchPage(await ctx.newPage(), ui.problems);
    await page.goto(`${ui.server.url}/`);
    await page.locator('input[type=email]').waitFor();
    expect(untranslatedWords(await page.locator('body').innerText(), data)).toEqual([]);
    await ctx.close();
  });

  it('works on a 390-px-wide phone screen', async () => {
    const ctx = await newOperatorContext(ui.browser, { width: 390, height: 844 });
    const phone = watchPage(await ctx.newPage(), ui.problems);
    await signIn(phone, ui.server.url, bobUser.email, bobUser.password);
    await phone.goto(`${ui.server.url}/inbox/all`);
    await phone.getByTestId('conversation-row').first().waitFor();
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(shots, 'mobile-inbox.png') });
    await phone.getByTestId('conversation-row').filter({ hasText: 'Maria Lopez' }).click();
    await phone.getByTestId('message-text').filter({ hasText: 'let me check' }).waitFor();
    expect(await phone.getByTestId('conversation-list').count()).toBe(0);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.getByTestId('composer-input').fill('Sent from a phone');
    await phone.getByTestId('composer-send').click();
    // Bob's desktop window, still on this conversation, shows what he wrote on his phone.
    await bob
      .getByTestId('message-text')
      .filter({ hasText: 'Sent from a phone' })
      .waitFor({ timeout: 10_000 });
    await phone.screenshot({ path: join(shots, 'mobile-conversation.png') });
    await phone.getByTestId('back').click();
    await phone.getByTestId('conversation-list').waitFor();
    await ctx.close();
    expect(ui.problems).toEqual([]);
  });

  it('fills a template for the customer from "/" in the reply box', async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await admin.call('POST', '/api/v1/templates', {
      name: 'Greeting',
      shortcut: 'hello',
      text: 'Hello {{contact.first_name}}, this is {{operator.name}}. Your e-mail: {{contact.email}}',
    });
    expect(created.status).toBe(201);
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    const input = alice.getByTestId('composer-input');
    await input.waitFor();
    await input.pressSequentially('/hel');
    await alice
      .getByTestId('template-list')
      .getByRole('option', { name: /\/hello/ })
      .waitFor();
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Hello Maria, this is Alice Admin. Your e-mail: ');
    // Maria left no e-mail: the operator is told before sending.
    expect(await alice.getByTestId('unresolved').innerText()).toContain('contact.email');
    await input.fill('');
  });

  it('shows attachments, and a reply the business system refused with its reason', async () => {
    const files = `${callbacks.url.replace('/callback', '')}/files`;
    const post = (attachments: { url: string; name: string; mimeType: string }[]) => {
      const body = JSON.stringify({
        eventId: `evt-files-${attachments.length}`,
        contact: { externalId: 'cust-files', name: 'Files Customer' },
        message: {
          externalId: `msg-files-${attachments.length}`,
          text: 'Photo and invoice attached',
          attachments,
        },
      });
      return fetch(`${ui.server.url}/webhooks/api/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-switchboard-signature': signApiBody(channel.secret, body),
        },
        body,
      });
    };
    const good = [
      { url: `${files}/photo.png`, name: 'photo.png', mimeType: 'image/png' },
      { url: `${files}/invoice.pdf`, name: 'invoice.pdf', mimeType: 'application/pdf' },
    ];
    // A script URL never gets in: the API channel refuses the whole event.
    const evil = await post([
      ...good,
      { url: 'javascript:alert(1)', name: 'evil.txt', mimeType: 'text/plain' },
    ]);
    expect(evil.status).toBe(400);
    expect((await post(good)).status).toBe(200);
    await alice.goto(`${ui.server.url}/inbox/all`);
    await alice.getByTestId('conversation-row').filter({ hasText: 'Files Customer' }).click();
    const msg = alice.getByTestId('message').filter({ hasText: 'Photo and invoice attached' });
    await msg.waitFor();
    // The customer's links are fetched by the server through the SSRF guard, so the operator's browser
    // never loads them by itself: the files are named, and no image comes from the customer's host.
    await expect.poll(() => msg.innerHTML()).toContain('invoice.pdf');
    await expect.poll(() => msg.innerHTML()).toContain('photo.png');
    expect(await msg.locator('img:not([src^="/api/v1/attachments/"])').count()).toBe(0);
    expect(await msg.locator('a[href^="javascript"]').count()).toBe(0);

    callbacks.script.push({ status: 400, body: '{"error":"unknown customer"}' });
    await alice.getByTestId('composer-input').fill('Thanks, checking the invoice');
    await alice.getByTestId('composer-input').press('Enter');
    const reply = alice.getByTestId('message').filter({ hasText: 'Thanks, checking the invoice' });
    await expect
      .poll(() => reply.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('failed');
    expect(await reply.getByTestId('delivery').innerText()).toBe(
      'Не доставлено: ваша система отклонила сообщение',
    );
    // The provider's own words stay available on hover.
    expect(await reply.getByTestId('delivery').getAttribute('title')).toContain('HTTP 400');
    expect(ui.problems).toEqual([]);
  });

  it('pages a long history in and keeps only what is visible in the page', async () => {
    await postInbound(
      ui.server,
      channel,
      { externalId: 'cust-long', name: 'Long History' },
      'The newest message',
    );
    const row = alice.getByTestId('conversation-row').filter({ hasText: 'Long History' });
    await alice.goto(`${ui.server.url}/inbox/all`);
    await row.waitFor({ timeout: 10_000 });
    const id = (await row.getAttribute('data-conversation-id'))!;
    const total = 1000;
    await seedHistory(ui.server, id, total);
    await alice.goto(`${ui.server.url}/inbox/all/${id}`);
    const list = alice.getByTestId('message-list');
    await alice.getByTestId('message-text').filter({ hasText: 'The newest message' }).waitFor();

    // Scroll to the top again and again: each time an older page arrives, and the message that was
    // the oldest one shown stays in view (no jump), until the start of the conversation.
    const label = (n: number) => `History message ${String(n).padStart(4, '0')}`;
    const started = Date.now();
    // The newest page holds the new message and the 49 latest history messages.
    let oldest = total - 48;
    while (oldest > 1) {
      const next = Math.max(1, oldest - 50);
      await list.evaluate((el) => {
        el.scrollTop = 0;
      });
      // The message just above the anchor is on the new page (rendered as overscan above the view).
      const above = alice.getByTestId('message-text').filter({ hasText: label(oldest - 1) });
      await above.waitFor({ state: 'attached' });
      const anchor = alice.getByTestId('message-text').filter({ hasText: label(oldest) });
      const [box, view] = await Promise.all([anchor.boundingBox(), list.boundingBox()]);
      expect(
        box && view && box.y >= view.y - 5 && box.y + box.height <= view.y + view.height + 5,
        label(oldest),
      ).toBe(true);
      oldest = next;
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    await alice.getByTestId('message-text').filter({ hasText: 'History message 0001' }).waitFor();
    // All 1,001 messages are loaded, yet only a screenful (plus overscan) is in the DOM.
    expect(await alice.getByTestId('message').count()).toBeLessThan(60);

    // Opened at an old message (as search does): pages back to it and shows it marked.
    const target = await ui.server.ctx.db.kysely
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', id)
      .where('body', '=', label(120))
      .executeTakeFirstOrThrow();
    await alice.goto(`${ui.server.url}/inbox/all/${id}?m=${target.id}`);
    const marked = alice.locator('[data-testid=message][data-highlight]');
    await marked.waitFor({ timeout: 15_000 });
    expect(await marked.innerText()).toContain(label(120));
    const [box, view] = await Promise.all([marked.boundingBox(), list.boundingBox()]);
    expect(box && view && box.y >= view.y && box.y + box.height <= view.y + view.height).toBe(true);
  }, 60_000);

  it('exports the inbox with its filters and offers the finished XLSX for download', async () => {
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await page.goto(`${ui.server.url}/inbox/all?status=any&channel=${channel.id}`);
    await page.getByTestId('conversation-row').first().waitFor();
    await page.getByTestId('export-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('One row per message').click();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/exports')),
      dialog.getByTestId('export-start').click(),
    ]);
    // "All", any status: only the channel narrows the export, as it narrows the list.
    expect(request.postDataJSON()).toEqual({
      kind: 'messages',
      format: 'xlsx',
      filter: { channel: channel.id },
    });
    const link = dialog.getByTestId('export-download');
    await link.waitFor({ timeout: 15_000 });
    expect(await dialog.getByTestId('export-done').innerText()).toMatch(/Ready: [1-9]\d* rows/);
    const res = await page.request.get(`${ui.server.url}${await link.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect((await res.body()).subarray(0, 2).toString()).toBe('PK');
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });

  it('sends a reply the callback refused again with Retry', async () => {
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await postInbound(ui.server, channel, { externalId: 'cust-retry', name: 'Rita Retry' }, 'Any news?');
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.getByTestId('conversation-row').filter({ hasText: 'Rita Retry' }).click();
    await page.getByTestId('message-text').filter({ hasText: 'Any news?' }).waitFor();
    callbacks.script.push({ status: 400, body: '{"error":"unknown customer"}' });
    await page.getByTestId('composer-input').fill('Shipped today');
    await page.getByTestId('composer-input').press('Enter');
    const reply = page.getByTestId('message').filter({ hasText: 'Shipped today' });
    const status = () => reply.getByTestId('delivery').getAttribute('data-status');
    await expect.poll(status, { timeout: 10_000 }).toBe('failed');
    const received = callbacks.received.length;
    // The callback answers 200 again (the script is used up); Retry re-queues the same message.
    await reply.getByTestId('delivery-retry').click();
    await expect.poll(status, { timeout: 10_000 }).toMatch(/sent|delivered/);
    expect(await reply.getByTestId('delivery-retry').count()).toBe(0);
    expect(callbacks.received.length).toBe(received + 1);
    expect((callbacks.received.at(-1)!.body as { message: { text: string } }).message.text).toBe(
      'Shipped today',
    );
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });

  it('marks automatic messages as such, sent to the customer like a reply', async () => {
    const admin = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const auto = { enabled: true, text: { en: 'Hello from the robot' } };
    const set = await admin.call('PUT', `/api/v1/channels/${channel.id}/routing`, {
      automaticMessages: { greeting: auto, offline: auto },
    });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    const ctx = await newOperatorContext(ui.browser);
    const page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await postInbound(ui.server, channel, { externalId: 'cust-auto', name: 'Otto Auto' }, 'Anyone there?');
    await page.goto(`${ui.server.url}/inbox/all`);
    await page.getByTestId('conversation-row').filter({ hasText: 'Otto Auto' }).click();
    const robot = page.getByTestId('message').filter({ hasText: 'Hello from the robot' });
    await robot.waitFor({ timeout: 10_000 });
    expect(await robot.getAttribute('data-kind')).toBe('auto');
    expect(await robot.getByTestId('automatic-badge').textContent()).toMatch(
      /^Automatic (greeting|offline reply)$/,
    );
    await expect
      .poll(() => robot.getByTestId('delivery').getAttribute('data-status'), { timeout: 10_000 })
      .toMatch(/sent|delivered/);
    const reset = await admin.call('PUT', `/api/v1/channels/${channel.id}/routing`, {});
    expect(reset.status).toBe(200);
    expect(ui.problems).toEqual([]);
    await ctx.close();
  });
});
