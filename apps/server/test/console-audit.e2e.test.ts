// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an admin reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/modules/audit/audit.service.ts';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';
import { useConsole } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

interface Entry {
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  user: { name: string; email: string } | null;
}

describe.skipIf(!runnable)('Audit log and API token screens in Chromium', () => {
  const ui = useConsole();
  let olgaId: string;

  beforeAll(async () => {
    const olga = await ui.admin.call<{ id: string }>('POST', '/api/v1/users', {
      email: 'olga@example.com',
      name: 'Olga Operator',
      password: 'operator password 1',
      role: 'operator',
    });
    expect(olga.status).toBe(201);
    olgaId = olga.json.id;
    expect((await ui.admin.call('PATCH', `/api/v1/users/${olgaId}`, { role: 'supervisor' })).status).toBe(
      200,
    );
    expect((await ui.admin.call('POST', '/api/v1/exports', { kind: 'messages', format: 'csv' })).status).toBe(
      202,
    );
    const account = await ui.server.ctx.db.kysely
      .selectFrom('accounts')
      .select('id')
      .executeTakeFirstOrThrow();
    await audit(
      ui.server.ctx,
      ui.server.ctx.db.kysely,
      { accountId: account.id, userId: null },
      {
        action: 'export.created',
        targetType: 'export',
        details: { via: 'cli', kind: 'conversations' },
      },
    );
  }, 60_000);

  const rows = (page: Page) => page.locator('[data-testid=audit-log] tbody tr');
  // Sign-ins (and the first-sign-in password change) are audited too; these checks are about admin actions.
  const shownActions = async (page: Page) =>
    (await Promise.all((await rows(page).all()).map((r) => r.getAttribute('data-action')))).filter(
      (a) => !a?.startsWith('auth.'),
    );
  async function pick(page: Page, testId: string, option: string) {
    await page.locator(`[data-testid=${testId}]`).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('an admin filters the audit log by action, actor and date, and sees the role change and the exports', async () => {
    const page = await ui.signedInPage();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expect
      .poll(async () => Promise.all(await shownActions(page)))
      .toEqual(['export.created', 'export.created', 'user.role_changed', 'user.created']);

    await pick(page, 'audit-action', 'user.role_changed');
    await expect.poll(async () => Promise.all(await shownActions(page))).toEqual(['user.role_changed']);
    const role = await rows(page).first().innerText();
    expect(role).toContain('Alice Admin');
    expect(role).toContain(olgaId);
    expect(role).toContain('"from":"operator","to":"supervisor"');
    expect(role).toContain('127.0.0.1');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await pick(page, 'audit-actor', 'System (CLI, jobs)');
    await expect.poll(async () => Promise.all(await shownActions(page))).toEqual(['export.created']);
    expect(await rows(page).first().innerText()).toContain('"via":"cli"');

    // Everything happened today: a range that ends yesterday is empty, one that starts today is not.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    const day = (offset: number) => {
      const d = new Date(Date.now() + offset * 86_400_000);
      return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
    };
    await page.locator('[data-testid=audit-to]').fill(day(-1));
    await page.locator('[data-testid=audit-empty]').waitFor();
    await page.locator('[data-testid=audit-to]').fill('');
    await page.locator('[data-testid=audit-from]').fill(day(0));
    await page.locator('[data-testid=audit-target]').fill(olgaId);
    await expect
      .poll(async () => Promise.all(await shownActions(page)))
      .toEqual(['user.role_changed', 'user.created']);
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('an admin creates a read-only token that expires in 30 days; it reads, cannot write, and is audited', async () => {
    const page = await ui.signedInPage();
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Name').fill('BI dashboard');
    await pick(page, 'token-scope', 'Read only');
    await pick(page, 'token-expiry', 'In 30 days');
    const before = Date.now();
    await page.getByRole('button', { name: 'New token' }).click();
    const secret = page.locator('[data-testid=new-token]');
    await secret.waitFor();
    const token = (await secret.innerText()).trim();
    expect(token).toMatch(/^sbt_/);

    const row = page.locator('[data-testid=tokens] tbody tr', { hasText: 'BI dashboard' });
    await row.waitFor();
    expect(await row.locator('[data-testid=token-scope-cell]').innerText()).toMatch(/^read only$/i);
    const listed = (
      await ui.admin.call<{ items: { name: string; scope: string; expiresAt: number | null }[] }>(
        'GET',
        '/api/v1/tokens',
      )
    ).json.items.find((x) => x.name === 'BI dashboard')!;
    expect(listed.scope).toBe('read');
    expect(listed.expiresAt! - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 60_000);
    expect(listed.expiresAt! - before).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);
    expect(await row.locator('[data-testid=token-expires-cell]').innerText()).not.toBe('Never');

    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${ui.server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await call('GET', '/api/v1/users')).status).toBe(200);
    const write = await call('POST', '/api/v1/teams', { name: 'Nope' });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('token_read_only');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await pick(page, 'audit-action', 'token.created');
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().innerText()).toContain('"scope":"read"');
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the audit log screen is in Russian for a Russian admin', async () => {
    const page = await ui.signedInPage({ lang: 'ru' });
    await page.goto(`${ui.server.url}/admin/audit`);
    await page.getByRole('heading', { name: 'Журнал аудита' }).waitFor();
    await expect.poll(() => rows(page).count()).toBeGreaterThan(3);
    const shown = await page.locator('main').innerText();
    const entries = (await ui.admin.call<{ items: Entry[] }>('GET', '/api/v1/audit-log?limit=200')).json
      .items;
    const data = entries.flatMap((e) => [
      e.action,
      JSON.stringify(e.details),
      e.targetType ?? '',
      e.targetId ?? '',
      e.ip ?? '',
      e.user?.name ?? '',
    ]);
    // "IP" is written the same in Russian.
    expect(untranslatedWords(shown, data.filter(Boolean), ['IP'])).toEqual([]);
    expect(ui.problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
