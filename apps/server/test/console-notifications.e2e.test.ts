// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, screenshotDir, signIn, untranslatedWords } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

type Shown = { title: string; body: string; tag: string };

/** The browser's Notification, allowed and recorded: what the operator's desktop would show. */
function recordDesktopNotifications(): void {
  const shown: Shown[] = [];
  (window as unknown as { __shown: Shown[] }).__shown = shown;
  class Recorded {
    static permission = 'granted';
    static requestPermission = () => Promise.resolve('granted');
    onclick: (() => void) | null = null;
    constructor(title: string, opts?: { body?: string; tag?: string }) {
      shown.push({ title, body: opts?.body ?? '', tag: opts?.tag ?? '' });
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = Recorded;
}

const desktop = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown.map((s) => ({ ...s })));

/**
 * Mentions that reach people: Alice mentions Bob in a note while Bob is signed out; Bob signs in to an
 * unread bell and a desktop notification, gets the next mention live, opens it from the bell and marks
 * everything read. The same in Russian.
 */
describe.skipIf(!runnable)('Console notifications: mentions in the bell and on the desktop', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();
  const bob = { email: 'bob@example.com', password: 'operator password 1', name: 'Bob Operator' };
  const olga = { email: 'olga@example.com', password: 'operator password 2', name: 'Olga Operator' };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const u of [bob, olga]) {
      const r = await ui.admin.call<{ id: string }>('POST', '/api/v1/users', { ...u, role: 'operator' });
      expect(r.status).toBe(201);
      ids[u.email] = r.json.id;
    }
  });

  async function conversationOf(name: string): Promise<string> {
    const list = await ui.admin.call<{ items: { id: string; contact: { name: string } }[] }>(
      'GET',
      '/api/v1/conversations',
    );
    return list.json.items.find((c) => c.contact.name === name)!.id;
  }

  async function signedInWithDesktop(user: { email: string; password: string }, lang: 'en' | 'ru') {
    const page = await ui.page({ width: 1280, height: 860, lang });
    await page.context().addInitScript(recordDesktopNotifications);
    await signIn(page, ui.server.url, user.email, user.password);
    return page;
  }

  it('tells a mentioned operator who was signed out, then live; the bell opens the conversation (English)', {
    timeout: 120_000,
  }, async () => {
    await ui.inbound({ externalId: 'maria', name: 'Maria Lopez' }, 'My order #1042 has not arrived');
    const conversationId = await conversationOf('Maria Lopez');

    // Alice writes a note mentioning Bob, who is not signed in anywhere.
    const alice = await ui.signedInPage({ width: 1280, height: 860 });
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await alice.getByTestId('message-text').filter({ hasText: 'order #1042' }).waitFor();
    await alice.getByTestId('composer-mode').getByText('Private note').click();
    const input = alice.getByTestId('composer-input');
    await input.pressSequentially('@bo');
    await alice.getByTestId('mention-list').getByRole('option', { name: 'Bob Operator' }).waitFor();
    await input.press('Enter');
    await input.pressSequentially('VIP customer, please call her');
    await input.press('Enter');
    const note = alice.locator('[data-testid=message][data-kind=note]').filter({ hasText: 'VIP customer' });
    await note
      .getByTestId('delivery')
      .waitFor({ state: 'detached' })
      .catch(() => {});
    await expect
      .poll(
        async () =>
          (
            await ui.admin.call<{ items: { mentions: string[] }[] }>(
              'GET',
              `/api/v1/conversations/${conversationId}/messages`,
            )
          ).json.items.at(-1)?.mentions,
      )
      .toEqual([ids[bob.email]]);

    // Bob signs in: the bell counts it, and the desktop says who mentioned him and what they wrote.
    const page = await signedInWithDesktop(bob, 'en');
    const bell = page.getByTestId('notifications-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: 1 unread');
    await expect
      .poll(() => desktop(page))
      .toEqual([
        {
          title: 'Alice Admin mentioned you',
          body: '@Bob Operator VIP customer, please call her',
          tag: expect.stringMatching(/^notification:/),
        },
      ]);

    // A second mention reaches him live (no reload), on the bell and the desktop.
    const second = await ui.admin.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: '@Bob Operator she called again',
      private: true,
      mentions: [ids[bob.email]],
      clientMessageId: 'note-live-1',
    });
    expect(second.status).toBe(201);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: 2 unread');
    await expect.poll(async () => (await desktop(page)).length).toBe(2);
    expect((await desktop(page))[1]!.body).toBe('@Bob Operator she called again');

    // Reloading (a reconnect, a new start) shows nothing twice on the desktop.
    await page.reload();
    await page.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 15_000 });
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: 2 unread');
    expect(await desktop(page)).toEqual([]);

    await bell.click();
    const panel = page.getByTestId('notifications-panel');
    const items = panel.getByTestId('notification');
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.first().getByTestId('notification-title').innerText()).toBe(
      'Alice Admin mentioned you',
    );
    expect(await items.first().getByTestId('notification-text').innerText()).toBe(
      '@Bob Operator she called again',
    );
    expect(await items.first().getAttribute('data-unread')).toBe('true');
    await page.screenshot({ path: join(shots, 'notifications.png') });

    // Opening one goes to the conversation; both mentions point there, so both are read now.
    await items.first().click();
    await page.waitForURL(`**/inbox/all/${conversationId}`);
    await page.getByTestId('message-text').filter({ hasText: 'she called again' }).waitFor();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');
    const bobApi = await ui.server.session(bob.email, bob.password);
    const left = await bobApi.call<{ unreadCount: number; items: unknown[] }>('GET', '/api/v1/notifications');
    expect(left.json).toMatchObject({ unreadCount: 0 });
    expect(left.json.items).toHaveLength(2);
    expect(ui.problems).toEqual([]);
  });

  it('shows the bell and the desktop notification in Russian', { timeout: 90_000 }, async () => {
    await ui.inbound({ externalId: 'ivan', name: 'Иван Петров' }, 'Где мой заказ?');
    const conversationId = await conversationOf('Иван Петров');
    const page = await signedInWithDesktop(olga, 'ru');
    const bell = page.getByTestId('notifications-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Уведомления');
    await bell.click();
    const panel = page.getByTestId('notifications-panel');
    expect(await panel.getByTestId('notifications-empty').innerText()).toBe(
      'Пока ничего. Уведомление придёт, когда коллега упомянет вас в заметке.',
    );
    await bell.click();

    const sent = await ui.admin.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: '@Olga Operator перезвони клиенту',
      private: true,
      mentions: [ids[olga.email]],
      clientMessageId: 'note-ru-1',
    });
    expect(sent.status).toBe(201);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Уведомления: непрочитанных 1');
    await expect
      .poll(() => desktop(page))
      .toEqual([
        {
          title: 'Alice Admin упоминает вас',
          body: '@Olga Operator перезвони клиенту',
          tag: expect.stringMatching(/^notification:/),
        },
      ]);
    await bell.click();
    const item = panel.getByTestId('notification');
    await item.waitFor();
    expect(await item.getByTestId('notification-title').innerText()).toBe('Alice Admin упоминает вас');
    expect(
      untranslatedWords(await panel.innerText(), ['Alice Admin', '@Olga Operator', 'Olga Operator']),
    ).toEqual([]);
    await page.screenshot({ path: join(shots, 'notifications-ru.png') });
    await panel.getByTestId('notifications-read-all').click();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Уведомления');
    expect(ui.problems).toEqual([]);
  });
});
