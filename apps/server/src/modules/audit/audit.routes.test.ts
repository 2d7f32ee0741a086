import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { audit } from './audit.service.ts';

const dialects = await testDialects();

describe.each(dialects)('audit log API (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it('lists admin actions newest first with cursor pages, filters, and who did them', async () => {
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.as(t.admin, 'POST', '/api/v1/teams', { name: `Team ${i}` });
      expect(res.statusCode).toBe(201);
      names.push(res.json().id);
      // Two entries in the same millisecond: the id breaks the tie.
      if (i % 2) t.clock.advance(1000);
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
    // The admin's own sign-in (the test app signs in at start) is recorded too, as the oldest entry.
    expect(seen.at(-1)).toMatchObject({ action: 'auth.signed_in', targetId: t.admin.userId });
    expect(seen.slice(0, -1).map((e) => e.targetId)).toEqual([channel.json().id, ...[...names].reverse()]);
    expect(seen[0]).toMatchObject({
      action: 'channel.created',
      targetType: 'channel',
      user: { id: t.admin.userId, name: 'Ada Admin', email: 'admin@example.com' },
      details: { type: 'api', name: 'Shop' },
      createdAt: t.clock.now(),
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
    // Sign-ins are recorded in the account signed in to: Globex sees only its admin's own.
    expect(
      (await t.as(other, 'GET', '/api/v1/audit-log')).json().items.map((e: { action: string }) => e.action),
    ).toEqual(['auth.signed_in']);
    await t.as(other, 'POST', '/api/v1/teams', { name: 'Globex team' });
    const actionsOf = async (s: typeof other) =>
      (
        (await t.as(s, 'GET', '/api/v1/audit-log')).json().items as {
          action: string;
          details: { name?: string };
        }[]
      ).filter((e) => !e.action.startsWith('auth.'));
    const theirs = await actionsOf(other);
    expect(theirs.map((e) => e.details.name)).toEqual(['Globex team']);
    const ours = await actionsOf(t.admin);
    expect(ours.map((e) => e.action)).toEqual(['user.created', 'team.created']);
    const theirSignIns = (await t.as(other, 'GET', '/api/v1/audit-log?action=auth.signed_in')).json().items;
    expect(theirSignIns.map((e: { user: { id: string } }) => e.user.id)).toEqual([other.userId]);
  });

  it('filters by actor (or the system), action, target and time range, paging within the filter', async () => {
    const HOUR = 3_600_000;
    const t0 = t.clock.now();
    const created = await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'boss2@example.com',
      password: 'second admin password',
      role: 'operator',
    });
    const second = created.json().id as string;
    t.clock.advance(HOUR);
    expect((await t.as(t.admin, 'PATCH', `/api/v1/users/${second}`, { role: 'admin' })).statusCode).toBe(200);
    const boss2 = await t.login('boss2@example.com', 'second admin password');
    // Sign-ins and password changes are audited too (their own suites check them); this one is about
    // the filters over admin actions, so it starts from those alone.
    await t.ctx.db.kysely.deleteFrom('audit_log').where('action', 'like', 'auth.%').execute();
    t.clock.advance(HOUR);
    for (let i = 0; i < 3; i++) await t.as(boss2, 'POST', '/api/v1/teams', { name: `B${i}` });
    await audit(
      t.ctx,
      t.ctx.db.kysely,
      { accountId: t.admin.accountId, userId: null },
      {
        action: 'export.created',
        details: { via: 'cli' },
      },
    );
    t.clock.advance(HOUR);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/users/${second}`)).statusCode).toBe(204);

    const list = async (query: string) => {
      const res = await t.as(t.admin, 'GET', `/api/v1/audit-log?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { action: string; user: { id: string } | null; createdAt: number }[] };
    };
    const actions = async (query: string) => (await list(query)).items.map((e) => e.action);

    expect(await actions(`actor=${second}`)).toEqual(['team.created', 'team.created', 'team.created']);
    expect(await actions(`actor=${t.admin.userId}`)).toEqual([
      'user.deactivated',
      'user.role_changed',
      'user.created',
    ]);
    expect(await actions('actor=system')).toEqual(['export.created']);
    const role = (await list('action=user.role_changed')).items;
    expect(role).toEqual([
      expect.objectContaining({ targetId: second, details: { from: 'operator', to: 'admin' } }),
    ]);
    expect(await actions(`targetId=${second}`)).toEqual([
      'user.deactivated',
      'user.role_changed',
      'user.created',
    ]);
    // [t0 + 1h, t0 + 2h): the role change only; from alone and to alone are half-open too.
    expect(await actions(`from=${t0 + HOUR}&to=${t0 + 2 * HOUR}`)).toEqual(['user.role_changed']);
    expect(await actions(`to=${t0 + HOUR}`)).toEqual(['user.created']);
    expect(await actions(`from=${t0 + 3 * HOUR}`)).toEqual(['user.deactivated']);
    const iso = new Date(t0 + 2 * HOUR).toISOString();
    expect(await actions(`from=${encodeURIComponent(iso)}&actor=${second}`)).toHaveLength(3);

    // Pages stay inside the filter.
    const page1 = await t.as(t.admin, 'GET', `/api/v1/audit-log?actor=${second}&limit=2`);
    const page2 = await t.as(
      t.admin,
      'GET',
      `/api/v1/audit-log?actor=${second}&limit=2&cursor=${page1.json().nextCursor}`,
    );
    expect(page1.json().items).toHaveLength(2);
    expect(page2.json()).toMatchObject({ nextCursor: null, items: [{ action: 'team.created' }] });

    expect((await t.as(t.admin, 'GET', '/api/v1/audit-log/actions')).json().items).toEqual([
      'export.created',
      'team.created',
      'user.created',
      'user.deactivated',
      'user.role_changed',
    ]);
    for (const bad of ['from=yesterday', 'to=-5', `actor=${'x'.repeat(65)}`]) {
      const res = await t.as(t.admin, 'GET', `/api/v1/audit-log?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });
});
