// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads, which is what these checks are about
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  consoleSuiteRunnable,
  newOperatorContext,
  screenshotDir,
  signIn,
  unnamedControls,
  untranslatedWords,
  watchPage,
} from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

interface Schedule {
  id: string;
  name: string;
  timeZone: string;
  weekly: Record<string, { from: string; to: string }[]>;
  exceptions: { date: string; intervals: { from: string; to: string }[]; note?: string }[];
}

describe.skipIf(!runnable)('Routing screens of the console in Chromium', () => {
  const ui = useConsole();
  let ctx: BrowserContext;
  let page: Page;
  let api: ApiSession;
  const shots = screenshotDir();
  let channel: { id: string; name: string };
  let scheduleId = '';
  const offlineText = 'We are closed now and will answer {{next_open_time}}. Thank you, {{contact.name}}!';

  beforeAll(async () => {
    api = await ui.server.session(ui.server.admin.email, ui.server.admin.password);
    const created = await api.call<{ id: string }>('POST', '/api/v1/channels', {
      type: 'api',
      name: 'Website chat',
      settings: {},
    });
    expect(created.status).toBe(201);
    channel = { id: created.json.id, name: 'Website chat' };
    ctx = await newOperatorContext(ui.browser, { height: 1000 });
    page = watchPage(await ctx.newPage(), ui.problems);
    await signIn(page, ui.server.url, ui.server.admin.email, ui.server.admin.password);
  }, 60_000);

  const select = async (testId: string, option: string, scope: Page = page) => {
    await scope.getByTestId(testId).click();
    await scope.getByRole('option', { name: option, exact: true }).click();
  };

  it('creates a schedule with two intervals on Monday and a holiday; the API has exactly that', async () => {
    await page.getByTestId('nav-schedules').click();
    await page.getByTestId('schedule-new').click();
    const editor = page.getByTestId('schedule-editor');
    await editor.waitFor();
    await editor.getByTestId('schedule-name').fill('Moscow office');
    // The time zone list is searchable.
    await editor.getByTestId('schedule-zone').click();
    await editor.getByTestId('schedule-zone').fill('Mosc');
    await page.getByRole('option', { name: 'Europe/Moscow', exact: true }).click();

    const monday = editor.getByTestId('intervals-mon');
    await monday.getByLabel('Monday, interval 1: to').fill('13:00');
    await monday.getByRole('button', { name: 'Monday: add hours' }).click();
    // The API's refusal is shown at the interval it is about.
    await monday.getByLabel('Monday, interval 2: from').fill('12:00');
    await monday.getByLabel('Monday, interval 2: to').fill('18:00');
    await editor.getByTestId('add-holiday').click();
    await editor.getByTestId('exception-date').fill('2026-01-01');
    await editor.getByTestId('exception-note').fill('New year');
    await editor.getByTestId('schedule-save').click();
    await expect
      .poll(() => monday.getByRole('alert').innerText())
      .toContain('intervals of one day must not overlap');
    await page.screenshot({ path: join(shots, 'admin-schedule.png'), animations: 'disabled' });
    await monday.getByLabel('Monday, interval 2: from').fill('14:00');
    // Saturday gets hours of its own, then loses them again: an empty day is closed.
    const saturday = editor.getByTestId('intervals-sat');
    await saturday.getByRole('button', { name: 'Saturday: add hours' }).click();
    await saturday.getByRole('button', { name: 'Saturday: remove interval 1' }).click();
    expect(await saturday.getByTestId('closed').count()).toBe(1);
    await editor.getByTestId('schedule-save').click();
    await editor.waitFor({ state: 'detached' });

    const card = page.getByTestId('schedule-card').filter({ hasText: 'Moscow office' });
    await card.waitFor();
    const list = await api.call<{ items: Schedule[] }>('GET', '/api/v1/schedules');
    expect(list.json.items).toHaveLength(1);
    const s = list.json.items[0]!;
    scheduleId = s.id;
    expect(s).toMatchObject({
      name: 'Moscow office',
      timeZone: 'Europe/Moscow',
      weekly: {
        mon: [
          { from: '09:00', to: '13:00' },
          { from: '14:00', to: '18:00' },
        ],
        tue: [{ from: '09:00', to: '18:00' }],
        sat: [],
        sun: [],
      },
      exceptions: [{ date: '2026-01-01', intervals: [], note: 'New year' }],
    });
    // "Open now / next opening" is the API's own answer.
    const status = await api.call<{ open: boolean }>('GET', `/api/v1/schedules/${s.id}/status`);
    await expect
      .poll(() => card.getByTestId('schedule-status').getAttribute('data-open'))
      .toBe(String(status.json.open));
    expect(await card.innerText()).toContain('09:00–13:00, 14:00–18:00');
  });

  it('edits the schedule: a one-off open Saturday with its own hours', async () => {
    const card = page.getByTestId('schedule-card').filter({ hasText: 'Moscow office' });
    await card.getByTestId('schedule-edit').click();
    const editor = page.getByTestId('schedule-editor');
    await editor.getByTestId('add-opening').click();
    const opening = editor.getByTestId('exception').nth(1);
    await opening.getByTestId('exception-date').fill('2026-01-10');
    await opening.getByTestId('interval-from').fill('10:00');
    await opening.getByTestId('interval-to').fill('14:00');
    await editor.getByTestId('schedule-save').click();
    await editor.waitFor({ state: 'detached' });
    const s = (await api.call<Schedule>('GET', `/api/v1/schedules/${scheduleId}`)).json;
    expect(s.exceptions).toEqual([
      { date: '2026-01-01', intervals: [], note: 'New year' },
      { date: '2026-01-10', intervals: [{ from: '10:00', to: '14:00' }] },
    ]);
  });

  it('sets the channel routing from the channels list: schedule, window, assignment, offline message', async () => {
    await page.getByTestId('nav-channels').click();
    await page
      .getByTestId('channel-card')
      .filter({ hasText: channel.name })
      .getByTestId('channel-routing')
      .click();
    await expect.poll(() => page.url()).toContain(`/admin/routing?channel=${channel.id}`);
    const form = page.getByTestId('routing-form');
    await form.waitFor();
    await select('routing-schedule', 'Moscow office');
    await select('routing-window-unit', 'Hours');
    await form.getByTestId('routing-window-value').fill('48');
    await select('routing-mode', 'Round robin');
    // Off by default; switched on it asks for the minutes.
    expect(await form.getByTestId('routing-no-reply-minutes').count()).toBe(0);
    await form.getByRole('switch', { name: 'Reassign when the operator does not answer in time' }).check();
    await form.getByTestId('routing-no-reply-minutes').fill('20');

    const offline = form.getByTestId('auto-offline');
    await offline.getByRole('switch', { name: 'Offline reply' }).check();
    // An unknown variable is refused by the API and marked at the English text.
    await offline.getByTestId('auto-offline-en').fill('Closed until {{order.id}}');
    await form.getByTestId('routing-save').click();
    await expect.poll(() => offline.innerText()).toContain('unknown variable');
    await offline.getByTestId('auto-offline-en').fill(offlineText);
    await form.getByTestId('routing-save').click();
    await form.getByTestId('routing-saved').waitFor();
    await page.getByRole('heading', { name: 'Routing' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'admin-routing.png'), animations: 'disabled' });

    const r = await api.call<{
      scheduleId: string;
      window: unknown;
      windowMs: number;
      assignment: Record<string, unknown>;
      automaticMessages: {
        throttleHours: number;
        offline: { enabled: boolean; text: { en: string; ru: string } };
      };
      defaultTexts: { offline: { ru: string } };
    }>('GET', `/api/v1/channels/${channel.id}/routing`);
    expect(r.json).toMatchObject({
      scheduleId,
      window: { unit: 'hours', value: 48 },
      windowMs: 48 * 3_600_000,
      assignment: { mode: 'round_robin', sticky: true, noReplyReassignMinutes: 20 },
      automaticMessages: { throttleHours: 12, offline: { enabled: true } },
    });
    expect(r.json.automaticMessages.offline.text.en).toBe(offlineText);
    // The Russian text was left alone, so it stays the built-in one.
    expect(r.json.automaticMessages.offline.text.ru).toBe(r.json.defaultTexts.offline.ru);
    // The schedule is now in use: deleting it is refused with the reason.
    await page.getByTestId('nav-schedules').click();
    await page
      .getByTestId('schedule-card')
      .filter({ hasText: 'Moscow office' })
      .getByTestId('schedule-delete')
      .click();
    await page.getByTestId('schedule-delete-confirm').click();
    await page.getByTestId('schedule-in-use').waitFor();
    await page.keyboard.press('Escape');
    expect((await api.call('GET', `/api/v1/schedules/${scheduleId}`)).status).toBe(200);
  });

  it('forces the whole center and one channel online or offline, and back to automatic', async () => {
    await page.getByTestId('nav-center').click();
    const card = page.getByTestId('center-channel').filter({ hasText: channel.name });
    await card.waitFor();
    const status = async () =>
      (
        await api.call<{
          mode: string;
          channels: { channelId: string; online: boolean; reason: string; channelMode: string }[];
        }>('GET', '/api/v1/center/status')
      ).json;

    await page.getByTestId('center-account-mode').getByText('Force offline').click();
    await expect.poll(async () => (await status()).mode).toBe('offline');
    expect((await status()).channels[0]).toMatchObject({ online: false, reason: 'forced_offline' });
    await expect
      .poll(() => card.getByTestId('center-channel-reason').innerText())
      .toBe('Forced offline for the whole center.');
    expect(await card.getAttribute('data-online')).toBe('false');
    await page.screenshot({ path: join(shots, 'admin-center.png'), animations: 'disabled' });

    // The channel forced online wins over the whole center's forced offline.
    await card.getByTestId('center-channel-mode').getByText('Force online').click();
    await expect.poll(async () => (await status()).channels[0]?.channelMode).toBe('online');
    expect((await status()).channels[0]).toMatchObject({ online: true, reason: 'forced_online' });
    await expect.poll(() => card.getAttribute('data-online')).toBe('true');
    expect(await card.getByTestId('center-channel-reason').innerText()).toBe(
      'Forced online for this channel.',
    );

    await card.getByTestId('center-channel-mode').getByText('As the center').click();
    await expect.poll(async () => (await status()).channels[0]?.channelMode).toBe('auto');
    await expect.poll(() => card.getAttribute('data-online')).toBe('false');
    // Signing in at the console put the admin online; automatic mode is judged with nobody online.
    expect((await api.call('PATCH', '/api/v1/me', { availability: 'offline' })).status).toBe(200);
    await page.getByTestId('center-account-mode').getByText('Automatic').click();
    await expect.poll(async () => (await status()).mode).toBe('auto');
    // Automatic: outside hours, or within them with nobody online; either way the reason says which.
    const now = (await status()).channels[0]!;
    expect(['outside_hours', 'no_operator_online']).toContain(now.reason);
    await expect
      .poll(() => card.getByTestId('center-channel-reason').innerText())
      .toBe(
        now.reason === 'outside_hours' ? 'Outside working hours.' : 'No operator of this channel is online.',
      );
  });

  it('shows a channel going online the moment an operator does, without a reload', async () => {
    const created = await api.call<{ id: string }>('POST', '/api/v1/channels', {
      type: 'api',
      name: 'Always open',
      settings: {},
    });
    expect(created.status).toBe(201);
    await page.goto(`${ui.server.url}/admin/center`);
    await page.locator('[data-testid=live-status][data-status=live]').waitFor();
    const card = page.getByTestId('center-channel').filter({ hasText: 'Always open' });
    const presence = (availability: string) => api.call('PATCH', '/api/v1/me', { availability });
    expect((await presence('offline')).status).toBe(200);
    await expect.poll(() => card.getAttribute('data-online'), { timeout: 5000 }).toBe('false');
    // Well inside the screen's 30 s refresh: the presence event itself brings it.
    expect((await presence('online')).status).toBe(200);
    await expect.poll(() => card.getAttribute('data-online'), { timeout: 5000 }).toBe('true');
    expect((await presence('offline')).status).toBe(200);
    await expect.poll(() => card.getAttribute('data-online'), { timeout: 5000 }).toBe('false');
  });

  it('gives every control on the routing screens an accessible name', async () => {
    for (const path of ['/admin/schedules', `/admin/routing?channel=${channel.id}`, '/admin/center']) {
      await page.goto(`${ui.server.url}${path}`);
      await page.locator('[data-testid=live-status][data-status=live]').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await unnamedControls(page), path).toEqual([]);
    }
    await page.goto(`${ui.server.url}/admin/schedules`);
    await page.getByTestId('schedule-card').getByTestId('schedule-edit').click();
    await page.getByTestId('schedule-editor').waitFor();
    expect(await unnamedControls(page), 'schedule editor').toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('schedule-editor').waitFor({ state: 'detached' });
  });

  it('shows no untranslated English on the routing screens in Russian', async () => {
    const data = [
      'Acme Support',
      ui.server.admin.name,
      ui.server.admin.email,
      channel.name,
      'Always open',
      'Moscow office',
      'Europe/Moscow',
      'New year',
      // Template variables are written as they are in any language.
      '{{next_open_time}}',
      '{{contact.name}}',
      '{{channel.name}}',
    ];
    data.push(
      ui.server.admin.name
        .split(' ')
        .map((w) => w[0])
        .join(''),
    );
    await page.locator('header label', { hasText: 'Русский' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ru');
    const check = async (what: string) => {
      const text = await page.locator('body').innerText();
      expect(untranslatedWords(text, data), `${what}:\n${text}`).toEqual([]);
      const labels = await page.evaluate(() =>
        [...document.querySelectorAll('[aria-label],[placeholder],[title]')]
          .filter((el) => el.checkVisibility() && !el.closest('[aria-hidden=true]'))
          .map((el) => ['aria-label', 'placeholder', 'title'].map((a) => el.getAttribute(a) ?? '').join(' '))
          .join('\n'),
      );
      expect(untranslatedWords(labels, data), `${what} attributes`).toEqual([]);
    };
    for (const [path, ready] of [
      ['/admin/schedules', 'schedule-status'],
      [`/admin/routing?channel=${channel.id}`, 'routing-form'],
      ['/admin/center', 'center-channel'],
    ] as const) {
      await page.goto(`${ui.server.url}${path}`);
      await page.locator('[data-testid=live-status][data-status=live]').waitFor();
      await page.getByTestId(ready).first().waitFor();
      await check(path);
    }
    // The routing form's choices, and the schedule editor.
    await page.goto(`${ui.server.url}/admin/routing?channel=${channel.id}`);
    await page.getByTestId('routing-mode').click();
    await page.getByRole('option').first().waitFor();
    await check('assignment modes');
    await page.keyboard.press('Escape');
    await page.goto(`${ui.server.url}/admin/schedules`);
    await page.getByTestId('schedule-edit').click();
    await page.getByTestId('schedule-editor').waitFor();
    await check('schedule editor');
    await page.keyboard.press('Escape');
    await page.locator('header label', { hasText: 'English' }).click();
  });

  it('fits the routing screens on a 390-px-wide phone', async () => {
    const phoneCtx = await newOperatorContext(ui.browser, { width: 390, height: 844 });
    const phone = watchPage(await phoneCtx.newPage(), ui.problems);
    await signIn(phone, ui.server.url, ui.server.admin.email, ui.server.admin.password);
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    for (const [path, ready] of [
      ['/admin/schedules', 'schedule-card'],
      [`/admin/routing?channel=${channel.id}`, 'routing-form'],
      ['/admin/center', 'center-channel'],
    ] as const) {
      await phone.goto(`${ui.server.url}${path}`);
      await phone.getByTestId(ready).first().waitFor();
      expect(await overflow(), path).toBeLessThanOrEqual(0);
    }
    await phone.goto(`${ui.server.url}/admin/schedules`);
    await phone.getByTestId('schedule-edit').click();
    const editor = phone.getByTestId('schedule-editor');
    await editor.waitFor();
    expect(await overflow(), 'schedule editor').toBeLessThanOrEqual(0);
    // Nothing inside the full-screen editor is cut off at the right edge either.
    const widest = await editor.evaluate((el) =>
      Math.max(...[...el.querySelectorAll('*')].map((c) => c.getBoundingClientRect().right)),
    );
    expect(widest).toBeLessThanOrEqual(390);
    await phoneCtx.close();
    expect(ui.problems).toEqual([]);
  });
});
