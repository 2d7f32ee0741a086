// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, screenshotDir, untranslatedWords } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * Transfer with a comment: the admin hands a conversation to Bob (and, in Russian, to a team) with a
 * comment; the receiver is notified and sees the comment on top of the conversation.
 */
describe.skipIf(!runnable)('Console transfer with a comment', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();
  const bob = { email: 'bob@example.com', password: 'operator password 1', name: 'Bob Operator' };
  const olga = { email: 'olga@example.com', password: 'operator password 2', name: 'Olga Operator' };

  beforeAll(async () => {
    const ids: string[] = [];
    for (const u of [bob, olga]) {
      const r = await ui.admin.call<{ id: string }>('POST', '/api/v1/users', { ...u, role: 'operator' });
      expect(r.status).toBe(201);
      ids.push(r.json.id);
    }
    const team = await ui.admin.call<{ id: string }>('POST', '/api/v1/teams', { name: 'Billing' });
    expect(team.status).toBe(201);
    expect(
      (await ui.admin.call('PUT', `/api/v1/teams/${team.json.id}/members`, { userIds: [ids[1]] })).status,
    ).toBe(200);
  });

  async function conversationOf(name: string): Promise<string> {
    const list = await ui.admin.call<{ items: { id: string; contact: { name: string } }[] }>(
      'GET',
      '/api/v1/conversations',
    );
    return list.json.items.find((c) => c.contact.name === name)!.id;
  }

  it('hands a conversation to an operator with a comment they see first (English)', {
    timeout: 120_000,
  }, async () => {
    await ui.inbound({ externalId: 'maria', name: 'Maria Lopez' }, 'I want a refund for order #1042');
    const conversationId = await conversationOf('Maria Lopez');
    const alice = await ui.signedInPage({ width: 1280, height: 860 });
    await alice.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await alice.getByTestId('message-text').filter({ hasText: 'refund' }).waitFor();
    await alice.getByTestId('action-transfer').click();
    const dialog = alice.getByTestId('transfer-dialog');
    await dialog.getByTestId('transfer-submit').waitFor();
    expect(await dialog.getByTestId('transfer-submit').isDisabled()).toBe(true);
    await dialog.getByTestId('transfer-operator').click();
    await alice.getByRole('option', { name: 'Bob Operator' }).click();
    await dialog.getByTestId('transfer-note').fill('Refund approved by finance, please confirm with her');
    await alice.screenshot({ path: join(shots, 'transfer-dialog.png') });
    await dialog.getByTestId('transfer-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => alice.getByTestId('conversation-assignee').innerText()).toBe('Bob Operator');
    // The comment is a private note in the conversation for everyone; the banner is only the receiver's.
    await alice
      .locator('[data-testid=message][data-kind=note]')
      .filter({ hasText: 'Refund approved' })
      .waitFor();
    expect(await alice.getByTestId('transfer-banner').count()).toBe(0);

    const page = await ui.signedInPage({ width: 1280, height: 860 }, bob);
    const bell = page.getByTestId('notifications-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications: 1 unread');
    await bell.click();
    const item = page.getByTestId('notifications-panel').getByTestId('notification');
    expect(await item.getByTestId('notification-title').innerText()).toBe(
      'Alice Admin handed a conversation to you',
    );
    await item.click();
    await page.waitForURL(`**/inbox/all/${conversationId}`);
    const banner = page.getByTestId('transfer-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/^Alice Admin handed this conversation over · /);
    expect(await banner.getByTestId('transfer-banner-text').innerText()).toBe(
      'Refund approved by finance, please confirm with her',
    );
    await page.screenshot({ path: join(shots, 'transfer-banner.png') });
    expect(ui.problems).toEqual([]);
  });

  it('hands a conversation to a team in Russian; its member sees the comment', {
    timeout: 120_000,
  }, async () => {
    await ui.inbound({ externalId: 'ivan', name: 'Иван Петров' }, 'Вопрос по счёту');
    const conversationId = await conversationOf('Иван Петров');
    const admin = await ui.signedInPage({ width: 1280, height: 860, lang: 'ru' });
    await admin.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    await admin.getByTestId('message-text').filter({ hasText: 'счёту' }).waitFor();
    await admin.getByTestId('action-transfer').click();
    const dialog = admin.getByTestId('transfer-dialog');
    await dialog.getByTestId('transfer-team').click();
    await admin.getByRole('option', { name: 'Billing' }).click();
    await dialog.getByTestId('transfer-note').fill('Нужен возврат, проверьте счёт');
    expect(await dialog.innerText()).toContain('Передать диалог');
    expect(untranslatedWords(await dialog.innerText(), ['Billing'])).toEqual([]);
    await dialog.getByTestId('transfer-submit').click();
    await dialog.waitFor({ state: 'detached' });

    const page = await ui.signedInPage({ width: 1280, height: 860, lang: 'ru' }, olga);
    const bell = page.getByTestId('notifications-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Уведомления: непрочитанных 1');
    await page.goto(`${ui.server.url}/inbox/all/${conversationId}`);
    const banner = page.getByTestId('transfer-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/^Alice Admin передаёт вам этот диалог · /);
    expect(await banner.getByTestId('transfer-banner-text').innerText()).toBe(
      'Нужен возврат, проверьте счёт',
    );
    expect(untranslatedWords(await banner.innerText(), ['Alice Admin'])).toEqual([]);
    await page.screenshot({ path: join(shots, 'transfer-banner-ru.png') });
    expect(ui.problems).toEqual([]);
  });
});
