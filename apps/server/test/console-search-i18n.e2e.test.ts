// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads, which is what these checks are about
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, screenshotDir, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { useCallbackServer } from './fake-callback-server.ts';

const runnable = consoleSuiteRunnable();

/**
 * Search, the main screens in Russian and the phone layout, over one answered conversation (Maria's,
 * assigned to Alice the admin) that Bob the operator has open on his desktop.
 */
describe.skipIf(!runnable)('Search, Russian screens and the phone in Chromium', () => {
  const ui = useConsole();
  const callbacks = useCallbackServer();
  const shots = screenshotDir();
  const bobUser = { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob Operator' };
  const maria = { externalId: 'cust-maria', name: 'Maria Lopez' };
  let channel: { id: string; secret: string; name: string; webhookUrl: string };
  let conversationId = '';
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    const created = await ui.createApiChannel('Website chat', { callbackUrl: callbacks.url });
    channel = { ...created, name: 'Website chat', webhookUrl: `${ui.server.url}/webhooks/api/${created.id}` };
    expect((await ui.admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' })).status).toBe(201);
    expect((await ui.admin.call('POST', '/api/v1/teams', { name: 'Billing' })).status).toBe(201);
    await ui.inbound(maria, 'Hello, my order #1042 has not arrived yet');
    conversationId = (await ui.awaitConversations(1))[0]!.id;
    const me = (await ui.admin.call<{ user: { id: string } }>('GET', '/api/v1/me')).json.user.id;
    const assigned = await ui.admin.call('PATCH', `/api/v1/conversations/${conversationId}`, {
      assigneeId: me,
    });
    expect(assigned.status).toBe(200);
    const replied = await ui.admin.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Hi Maria, let me check.\nOne moment please.',
      clientMessageId: 'search-i18n-1',
    });
    expect(replied.status).toBe(202);
    alice = await ui.signedInPage();
    bob = await ui.open(`/inbox/all/${conversationId}`, undefined, bobUser);
    await bob.getByTestId('message-text').filter({ hasText: 'let me check' }).waitFor();
  }, 60_000);

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
    const page = await ui.page({ lang: 'ru' });
    const ctx = page.context();
    await page.goto(`${ui.server.url}/`);
    await page.locator('input[type=email]').waitFor();
    expect(untranslatedWords(await page.locator('body').innerText(), data)).toEqual([]);
    await ctx.close();
  });

  it('works on a 390-px-wide phone screen', async () => {
    const phone = await ui.signedInPage({ width: 390, height: 844 }, bobUser);
    const ctx = phone.context();
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
});
