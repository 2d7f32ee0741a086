import { beforeEach, describe, expect, it } from 'vitest';
import { seedTeam, seedUser } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const filters = {
  status: 'open',
  assignee: 'none',
  label: 'vip',
  slaState: 'due_soon',
  sort: 'oldest_waiting',
};

describe.each(await testDialects())('Saved views API (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let olga: Session;
  let ivan: Session;
  let petr: Session;
  let teamId: string;

  beforeEach(async () => {
    const olgaId = await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    const ivanId = await seedUser(t.ctx, t.admin.accountId, 'ivan@example.com', 'operator');
    await seedUser(t.ctx, t.admin.accountId, 'petr@example.com', 'supervisor');
    teamId = await seedTeam(t.ctx, t.admin.accountId, 'Support', [olgaId, ivanId]);
    olga = await t.login('olga@example.com', 'operator-password');
    ivan = await t.login('ivan@example.com', 'operator-password');
    petr = await t.login('petr@example.com', 'operator-password');
  });

  const names = async (s: Session) =>
    (await t.as(s, 'GET', '/api/v1/views')).json().items.map((v: { name: string }) => v.name);

  it('an operator saves, renames, re-filters and deletes a personal view nobody else sees', async () => {
    const created = await t.as(olga, 'POST', '/api/v1/views', { name: ' Waiting VIPs ', filters });
    expect(created.statusCode, created.body).toBe(201);
    const v = created.json();
    expect(v).toMatchObject({ name: 'Waiting VIPs', filters, sharedWithTeamId: null });
    expect(await names(olga)).toEqual(['Waiting VIPs']);
    expect(await names(ivan)).toEqual([]);
    expect(await names(t.admin)).toEqual([]);

    const renamed = await t.as(olga, 'PATCH', `/api/v1/views/${v.id}`, {
      name: 'Urgent first',
      filters: { sort: 'priority', attribute: ['tier:gold'] },
    });
    expect(renamed.json()).toMatchObject({
      name: 'Urgent first',
      filters: { sort: 'priority', attribute: ['tier:gold'] },
    });
    // Another user's personal view does not exist for them, even for an admin.
    expect((await t.as(ivan, 'PATCH', `/api/v1/views/${v.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/views/${v.id}`)).statusCode).toBe(404);
    expect((await t.as(olga, 'DELETE', `/api/v1/views/${v.id}`)).statusCode).toBe(204);
    expect(await names(olga)).toEqual([]);
  });

  // Bad bodies on create are refused before any row is read: views-validation.test.ts (bare app).
  it('refuses an empty change of a saved view', async () => {
    const v = (await t.as(olga, 'POST', '/api/v1/views', { name: 'Mine', filters: {} })).json();
    expect((await t.as(olga, 'PATCH', `/api/v1/views/${v.id}`, {})).statusCode).toBe(400);
  });

  it('only admins share with a team; members see it read-only; sharing is audited', async () => {
    expect(
      (await t.as(olga, 'POST', '/api/v1/views', { name: 'Team', filters, sharedWithTeamId: teamId }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.as(petr, 'POST', '/api/v1/views', { name: 'Team', filters, sharedWithTeamId: teamId }))
        .statusCode,
    ).toBe(403);
    const missing = await t.as(t.admin, 'POST', '/api/v1/views', {
      name: 'T',
      filters,
      sharedWithTeamId: 'nope',
    });
    expect(missing.statusCode).toBe(400);

    const shared = await t.as(t.admin, 'POST', '/api/v1/views', {
      name: 'Support queue',
      filters: { team: teamId, status: 'open' },
      sharedWithTeamId: teamId,
    });
    expect(shared.statusCode, shared.body).toBe(201);
    const id = shared.json().id;
    await t.as(olga, 'POST', '/api/v1/views', { name: 'A mine', filters: {} });
    // Own views first, then the team's.
    expect(await names(olga)).toEqual(['A mine', 'Support queue']);
    expect(await names(ivan)).toEqual(['Support queue']);
    expect(await names(petr)).toEqual([]);

    expect((await t.as(olga, 'PATCH', `/api/v1/views/${id}`, { name: 'Mine now' })).statusCode).toBe(403);
    expect((await t.as(olga, 'DELETE', `/api/v1/views/${id}`)).statusCode).toBe(403);

    // An operator cannot share their own view either.
    const own = (await t.as(ivan, 'POST', '/api/v1/views', { name: 'Ivan', filters: {} })).json();
    expect(
      (await t.as(ivan, 'PATCH', `/api/v1/views/${own.id}`, { sharedWithTeamId: teamId })).statusCode,
    ).toBe(403);

    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/views/${id}`, { sharedWithTeamId: null })).json()
        .sharedWithTeamId,
    ).toBeNull();
    expect(await names(ivan)).toEqual(['Ivan']);
    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_type', '=', 'saved_view')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'saved_view.shared', target_id: id },
      { action: 'saved_view.unshared', target_id: id },
    ]);
  });

  it("another account's view is a 404 everywhere", async () => {
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Other Co',
      email: 'other@example.com',
      password: 'other-password',
    });
    const stranger = await t.login('other@example.com', 'other-password');
    const v = (
      await t.as(t.admin, 'POST', '/api/v1/views', { name: 'Ours', filters, sharedWithTeamId: teamId })
    ).json();
    expect(await names(stranger)).toEqual([]);
    expect((await t.as(stranger, 'PATCH', `/api/v1/views/${v.id}`, { name: 'Theirs' })).statusCode).toBe(404);
    expect((await t.as(stranger, 'DELETE', `/api/v1/views/${v.id}`)).statusCode).toBe(404);
    // Nor can they share into our team.
    expect(
      (await t.as(stranger, 'POST', '/api/v1/views', { name: 'x', filters: {}, sharedWithTeamId: teamId }))
        .statusCode,
    ).toBe(400);
    expect(await names(t.admin)).toEqual(['Ours']);
  });
});
