import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

describe.each(dialects)('audit log API (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    t = await createTestApp(dialect, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists admin actions newest first with cursor pages, filters, and who did them', async () => {
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.as(t.admin, 'POST', '/api/v1/teams', { name: `Team ${i}` });
      expect(res.statusCode).toBe(201);
      names.push(res.json().id);
      // Two entries in the same millisecond: the id breaks the tie.
      if (i % 2) clock.advance(1000);
    }
    const channel = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' });

    const seen: { action: string; targetId: string }[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/audit-log?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.as(t.admin, 'GET', url)).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.targetId)).toEqual([channel.json().id, ...[...names].reverse()]);
    expect(seen[0]).toMatchObject({
      action: 'channel.created',
      targetType: 'channel',
      user: { id: t.admin.userId, name: 'Ada Admin', email: 'admin@example.com' },
      details: { type: 'api', name: 'Shop' },
      createdAt: clock.now(),
    });
    expect(seen[0]!).toHaveProperty('ip');

    const teamsOnly = (await t.as(t.admin, 'GET', '/api/v1/audit-log?action=team.created&limit=200')).json();
    expect(teamsOnly.items).toHaveLength(5);
    expect(teamsOnly.nextCursor).toBeNull();
    const one = (await t.as(t.admin, 'GET', `/api/v1/audit-log?targetId=${names[2]}`)).json();
    expect(one.items.map((e: { details: unknown }) => e.details)).toEqual([
      { name: 'Team 2', memberIds: [] },
    ]);
    const bad = await t.as(t.admin, 'GET', '/api/v1/audit-log?cursor=%5B%5D');
    expect(bad.statusCode).toBe(400);
  });

  it('is for admins only and shows only the own account', async () => {
    await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Acme team' });
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'sup@example.com',
      password: 'supervisor password',
      role: 'supervisor',
    });
    const sup = await t.login('sup@example.com', 'supervisor password');
    const denied = await t.as(sup, 'GET', '/api/v1/audit-log');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');

    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'boss@globex.test',
      password: 'globex password',
    });
    const other = await t.login('boss@globex.test', 'globex password');
    expect((await t.as(other, 'GET', '/api/v1/audit-log')).json().items).toEqual([]);
    await t.as(other, 'POST', '/api/v1/teams', { name: 'Globex team' });
    const theirs = (await t.as(other, 'GET', '/api/v1/audit-log')).json().items;
    expect(theirs.map((e: { details: { name: string } }) => e.details.name)).toEqual(['Globex team']);
    const ours = (await t.as(t.admin, 'GET', '/api/v1/audit-log')).json().items;
    expect(ours.map((e: { action: string }) => e.action)).toEqual(['user.created', 'team.created']);
  });
});
