// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consoleSuiteRunnable,
  newOperatorContext,
  postInbound,
  screenshotDir,
  signIn,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';
import { seedConversations } from './seed.ts';

const runnable = consoleSuiteRunnable();

/**
 * The inbox's per-operator state in real browsers: unread badges from server-side read markers (one
 * operator in two browsers, a colleague in a third), exact view counts, contact labels and notes.
 */
describe.skipIf(!runnable)('Console inbox: unread, counts, contact labels and notes', () => {
  const ui = useConsole({ apiChannel: 'Website chat' });
  let aliceA: Page;
  let aliceB: Page;
  let bob: Page;
  let accountId: string;
  const shots = screenshotDir();
  const bobUser = { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob Operator' };
  const maria = { externalId: 'cust-maria', name: 'Maria Lopez' };
  let mariaConversation = '';

  const row = (p: Page, name: string) => p.getByTestId('conversation-row').filter({ hasText: name });
  const unreadBadge = (p: Page, name: string) => row(p, name).getByTestId('row-unread');
  const live = (p: Page) => p.locator('[data-testid=live-status][data-status=live]').waitFor();

  beforeAll(async () => {
    expect((await ui.admin.call('POST', '/api/v1/users', { ...bobUser, role: 'operator' })).status).toBe(201);
    accountId = (await ui.server.ctx.db.kysely.selectFrom('accounts').select('id').executeTakeFirstOrThrow())
      .id;
    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) pages.push(await ui.page());
    [aliceA, aliceB, bob] = pages as [Page, Page, Page];
    await signIn(aliceA, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await signIn(aliceB, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    await signIn(bob, ui.server.url, bobUser.email, bobUser.password);
  }, 60_000);

  it('clears an unread badge in the operator’s other browser when read in one; a colleague keeps his', async () => {
    for (const p of [aliceA, aliceB, bob]) await p.goto(`${ui.server.url}/inbox/all`);
    for (const p of [aliceA, aliceB, bob]) await live(p);
    await ui.inbound(maria, 'Hello, is anyone there?');
    await ui.inbound(maria, 'My order #1042 has not arrived');
    for (const p of [aliceA, aliceB, bob])
      await expect.poll(() => unreadBadge(p, 'Maria Lopez').innerText(), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => aliceB.title()).toBe('(1) Switchboard');
    mariaConversation = (await row(aliceA, 'Maria Lopez').getAttribute('data-conversation-id'))!;

    // Alice reads it in browser A: browser B follows without a reload; Bob's badge is his own.
    await row(aliceA, 'Maria Lopez').click();
    await aliceA.getByTestId('message-text').filter({ hasText: 'order #1042' }).waitFor();
    await expect.poll(() => unreadBadge(aliceB, 'Maria Lopez').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => aliceB.title()).toBe('Switchboard');
    expect(await unreadBadge(bob, 'Maria Lopez').innerText()).toBe('2');

    // The marker is on the server: a fresh load of browser B shows it read too.
    await aliceB.reload();
    await live(aliceB);
    await row(aliceB, 'Maria Lopez').waitFor();
    expect(await unreadBadge(aliceB, 'Maria Lopez').count()).toBe(0);

    // A message arriving while Alice has the conversation open in A is read there at once; B stays
    // clear, Bob counts three.
    await ui.inbound(maria, 'Hello?');
    await aliceA.getByTestId('message-text').filter({ hasText: 'Hello?' }).waitFor();
    await expect.poll(() => unreadBadge(bob, 'Maria Lopez').innerText(), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => unreadBadge(aliceB, 'Maria Lopez').count(), { timeout: 10_000 }).toBe(0);
    const state = await ui.admin.call<{ items: { id: string; unreadCount: number }[] }>(
      'GET',
      '/api/v1/conversations',
    );
    expect(state.json.items.find((c) => c.id === mariaConversation)?.unreadCount).toBe(0);
  });

  it('marks a conversation unread again (header button and the u key): the badge returns in both of the operator’s browsers', async () => {
    // A has the conversation open, B the list.
    await aliceA.goto(`${ui.server.url}/inbox/all/${mariaConversation}`);
    await aliceB.goto(`${ui.server.url}/inbox/all`);
    for (const p of [aliceA, aliceB]) await live(p);
    await aliceA.getByTestId('message-text').filter({ hasText: 'Hello?' }).waitFor();
    expect(await unreadBadge(aliceA, 'Maria Lopez').count()).toBe(0);

    // The button takes Alice back to the list (staying would read it again at once).
    await aliceA.getByRole('button', { name: 'Mark as unread' }).click();
    await expect.poll(() => aliceA.url()).toBe(`${ui.server.url}/inbox/all`);
    for (const p of [aliceA, aliceB])
      await expect.poll(() => unreadBadge(p, 'Maria Lopez').innerText(), { timeout: 10_000 }).toBe('1');
    expect(await unreadBadge(bob, 'Maria Lopez').innerText()).toBe('3');

    // Reading it in A clears B; the u key in A (listed in the shortcuts help) brings it back in both.
    await row(aliceA, 'Maria Lopez').click();
    await expect.poll(() => unreadBadge(aliceB, 'Maria Lopez').count(), { timeout: 10_000 }).toBe(0);
    await aliceA.getByTestId('conversation-contact').click();
    await aliceA.keyboard.press('u');
    await expect.poll(() => aliceA.url()).toBe(`${ui.server.url}/inbox/all`);
    for (const p of [aliceA, aliceB])
      await expect.poll(() => unreadBadge(p, 'Maria Lopez').innerText(), { timeout: 10_000 }).toBe('1');
    const state = await ui.admin.call<{ items: { id: string; unreadCount: number }[] }>(
      'GET',
      '/api/v1/conversations',
    );
    expect(state.json.items.find((c) => c.id === mariaConversation)?.unreadCount).toBe(1);
    await aliceA.keyboard.press('?');
    await aliceA.getByTestId('shortcuts-help').getByText('Mark as unread (and back to the list)').waitFor();
    await aliceA.keyboard.press('Escape');

    // Read again, as the later steps expect.
    await row(aliceA, 'Maria Lopez').click();
    await expect.poll(() => unreadBadge(aliceB, 'Maria Lopez').count(), { timeout: 10_000 }).toBe(0);
  });

  it('shows exact view counts (60 conversations read 60, not 50+) and keeps them live', async () => {
    const seeded = await seedConversations(ui.server.ctx, accountId, 60);
    const view = (v: string) => `${ui.server.url}/inbox/${v}?channel=${seeded.channelId}`;
    await aliceA.goto(view('unassigned'));
    await bob.goto(view('unassigned'));
    for (const p of [aliceA, bob]) {
      await live(p);
      await expect.poll(() => p.getByTestId('count-unassigned').innerText()).toBe('60');
      expect(await p.getByTestId('count-all').innerText()).toBe('60');
      expect(await p.getByTestId('count-mine').innerText()).toBe('0');
    }
    // The list pages in 50 at a time; the count does not depend on how much is loaded.
    expect(await aliceA.getByTestId('conversation-row').count()).toBeLessThan(60);

    // Alice takes one (through the API, as another console would): both consoles' counts follow.
    const me = await ui.admin.call<{ user: { id: string } }>('GET', '/api/v1/me');
    const took = await ui.admin.call('PATCH', `/api/v1/conversations/${seeded.conversationIds[0]}`, {
      assigneeId: me.json.user.id,
    });
    expect(took.status).toBe(200);
    await expect.poll(() => aliceA.getByTestId('count-mine').innerText(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => aliceA.getByTestId('count-unassigned').innerText()).toBe('59');
    await expect.poll(() => bob.getByTestId('count-unassigned').innerText(), { timeout: 10_000 }).toBe('59');
    expect(await bob.getByTestId('count-mine').innerText()).toBe('0');

    // One resolved (out of the open views) and a new customer on that channel (into them).
    await ui.admin.call('PATCH', `/api/v1/conversations/${seeded.conversationIds[1]}`, {
      status: 'resolved',
    });
    await postInbound(
      ui.server,
      { id: seeded.channelId, secret: 'seed' },
      { externalId: 'new-1', name: 'Nina New' },
      'Hi',
    );
    await expect.poll(() => bob.getByTestId('count-unassigned').innerText(), { timeout: 10_000 }).toBe('59');
    await expect.poll(() => bob.getByTestId('count-all').innerText(), { timeout: 10_000 }).toBe('60');
    await aliceA.screenshot({ path: join(shots, 'inbox-counts.png') });

    // The filter pickers count what each choice would list here (Unassigned, this channel or status).
    const optionCount = (p: Page, label: RegExp) =>
      p.getByRole('option', { name: label }).getByTestId('option-count').innerText();
    const serverCounts = async () =>
      (
        await ui.admin.call<{ statuses: Record<string, number> }>(
          'GET',
          `/api/v1/conversations/counts?channel=${seeded.channelId}&assignee=none`,
        )
      ).json.statuses;
    let expected = await serverCounts();
    expect(expected.open).toBe(59);
    await bob.getByTestId('status-filter').click();
    await expect.poll(() => optionCount(bob, /^Open/), { timeout: 10_000 }).toBe('59');
    // (The resolve above reaches the counts with their next refetch: poll.)
    await expect
      .poll(() => optionCount(bob, /^Resolved/), { timeout: 10_000 })
      .toBe(String(expected.resolved));
    const any = Object.values(expected).reduce((n, x) => n + x, 0);
    expect(await optionCount(bob, /^Any status/)).toBe(String(any));
    // Live with the counts: one more leaves Open while the list is open.
    await ui.admin.call('PATCH', `/api/v1/conversations/${seeded.conversationIds[2]}`, { status: 'pending' });
    await expect.poll(() => optionCount(bob, /^Open/), { timeout: 10_000 }).toBe('58');
    expected = await serverCounts();
    expect(expected.pending).toBeGreaterThan(0);
    expect(await optionCount(bob, /^Pending/)).toBe(String(expected.pending));
    await bob.keyboard.press('Escape');
    await bob.locator('input[aria-label="Channel"]').click();
    await expect.poll(() => optionCount(bob, /^Website chat/)).toBe('1');
    await bob.keyboard.press('Escape');
  });

  it('adds a contact label and a note that another operator sees live; only the author edits the note', async () => {
    const open = async (p: Page) => {
      await p.goto(`${ui.server.url}/inbox/all/${mariaConversation}`);
      await live(p);
      await p.getByTestId('open-contact').click();
      await p.getByTestId('contact-panel').waitFor();
    };
    await open(aliceA);
    await open(bob);
    const labels = (p: Page) => p.getByTestId('contact-label-text').allInnerTexts();

    // A label, added with Enter.
    await aliceA.getByTestId('contact-label-input').fill('VIP');
    await aliceA.getByTestId('contact-label-input').press('Enter');
    await expect.poll(() => labels(aliceA)).toEqual(['VIP']);
    await expect.poll(() => labels(bob), { timeout: 10_000 }).toEqual(['VIP']);

    // Suggestions come from labels in use elsewhere in the account.
    const other = (
      await ui.admin.call<{ items: { id: string; name: string }[] }>('GET', '/api/v1/contacts?q=Customer%201')
    ).json.items.find((c) => c.name === 'Customer 1')!;
    await ui.admin.call('POST', `/api/v1/contacts/${other.id}/labels`, { label: 'wholesale' });
    await bob.getByTestId('contact-label-input').fill('WHOLE');
    await bob.getByRole('option', { name: 'wholesale' }).click();
    await expect.poll(() => labels(bob)).toEqual(['VIP', 'wholesale']);
    await expect.poll(() => labels(aliceA), { timeout: 10_000 }).toEqual(['VIP', 'wholesale']);
    await bob.getByRole('button', { name: 'Remove label VIP' }).click();
    await expect.poll(() => labels(aliceA), { timeout: 10_000 }).toEqual(['wholesale']);
    // The API filter finds her by it.
    const filtered = await ui.admin.call<{ items: { name: string }[] }>(
      'GET',
      '/api/v1/contacts?label=wholesale',
    );
    expect(filtered.json.items.map((c) => c.name).sort()).toEqual(['Customer 1', 'Maria Lopez']);

    // A note (customer-looking markup stays text), live for Bob with author and time.
    await aliceA.getByTestId('contact-note-input').fill('Prefers e-mail. <img src=x onerror=alert(1)>');
    await aliceA.getByTestId('contact-note-add').click();
    const bobNote = bob.getByTestId('contact-note').filter({ hasText: 'Prefers e-mail' });
    await bobNote.waitFor({ timeout: 10_000 });
    expect(await bobNote.getByTestId('contact-note-text').innerText()).toBe(
      'Prefers e-mail. <img src=x onerror=alert(1)>',
    );
    expect(await bobNote.getByTestId('contact-note-author').innerText()).toBe('Alice Admin');
    expect(await bobNote.locator('time').count()).toBe(1);
    // Not Bob's note: he may not edit or delete it.
    expect(await bobNote.getByTestId('contact-note-edit').count()).toBe(0);
    await bob.getByTestId('contact-note-input').fill('Called her on Tuesday');
    await bob.getByTestId('contact-note-add').click();
    const bobsOwn = bob.getByTestId('contact-note').filter({ hasText: 'Called her' });
    await bobsOwn.getByTestId('contact-note-edit').waitFor();
    await aliceA.getByTestId('contact-note').filter({ hasText: 'Called her' }).waitFor({ timeout: 10_000 });
    await aliceA.screenshot({ path: join(shots, 'contact-panel.png') });

    // Alice edits hers: Bob sees the new text, marked edited; then she deletes it.
    const aliceNote = aliceA.getByTestId('contact-note').filter({ hasText: 'Prefers e-mail' });
    await aliceNote.getByTestId('contact-note-edit').click();
    await aliceNote.getByTestId('contact-note-edit-input').fill('Prefers e-mail, never calls');
    await aliceNote.getByTestId('contact-note-save').click();
    const edited = bob.getByTestId('contact-note').filter({ hasText: 'never calls' });
    await edited.waitFor({ timeout: 10_000 });
    expect(await edited.innerText()).toContain('edited');
    await aliceA
      .getByTestId('contact-note')
      .filter({ hasText: 'never calls' })
      .getByTestId('contact-note-delete')
      .click();
    await aliceA.getByTestId('contact-note-delete-confirm').click();
    await expect
      .poll(() => bob.getByTestId('contact-note-text').allInnerTexts(), { timeout: 10_000 })
      .toEqual(['Called her on Tuesday']);
    expect(ui.problems).toEqual([]);
  });

  it('speaks Russian in the panel and the badges, and fits a 390-px phone', async () => {
    // Bob's desktop still has Maria's conversation open: it would read her next message at once
    // (rightly), clearing the badge on his phone too. Take him back to the list first.
    await bob.goto(`${ui.server.url}/inbox/all?channel=${ui.channel.id}`);
    await live(bob);
    const ctx = await newOperatorContext(ui.browser, { lang: 'ru', width: 390, height: 844 });
    const phone = watchPage(await ctx.newPage(), ui.problems);
    await signIn(phone, ui.server.url, bobUser.email, bobUser.password);
    await phone.goto(`${ui.server.url}/inbox/all?channel=${ui.channel.id}`);
    await live(phone);
    // The list must be loaded before the message arrives.
    await row(phone, 'Maria Lopez').waitFor();
    // Bob read Maria's conversation in the previous step; one more message from her is unread.
    await ui.inbound(maria, 'Ещё один вопрос');
    const badge = unreadBadge(phone, 'Maria Lopez');
    await expect
      .poll(async () => ((await badge.count()) ? badge.getAttribute('aria-label') : 'no badge'), {
        timeout: 10_000,
      })
      .toBe('Непрочитанных: 1');
    await row(phone, 'Maria Lopez').click({ timeout: 10_000 });
    await phone.getByTestId('open-contact').click({ timeout: 10_000 });
    const panel = phone.getByTestId('contact-panel');
    await panel.getByTestId('contact-note').first().waitFor({ timeout: 10_000 });
    // Headings are upper-cased by CSS, which innerText reflects.
    const text = (await panel.innerText()).toLowerCase();
    for (const ru of ['метки', 'добавить метку', 'заметки', 'заметка для коллег', 'добавить заметку'])
      expect(text).toContain(ru);
    expect(text).not.toMatch(/\b(labels|notes|add note|edit|delete|edited)\b/);
    expect(await phone.getByRole('button', { name: 'Убрать метку wholesale' }).count()).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await ctx.close();
  });

  it('shows conversation labels on the inbox rows, live', async () => {
    // Maria's channel only: the 60 newer conversations would push her row out of the rendered part.
    await bob.goto(`${ui.server.url}/inbox/all?channel=${ui.channel.id}`);
    await live(bob);
    await row(bob, 'Maria Lopez').waitFor();
    const res = await ui.admin.call('PATCH', `/api/v1/conversations/${mariaConversation}`, {
      labels: ['refund', 'urgent-order'],
    });
    expect(res.status).toBe(200);
    await row(bob, 'Maria Lopez').getByText('urgent-order').waitFor({ timeout: 10_000 });
    expect(await row(bob, 'Maria Lopez').getByText('refund').count()).toBe(1);
    expect(ui.problems).toEqual([]);
  });
});
