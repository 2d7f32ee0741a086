import { describe, expect, it } from 'vitest';
import { seedConversations, seedTeam, seedUser } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

describe.each(dialects)('conversation counts (%s)', (dialect) => {
  const t = useTestApp(dialect);

  const set = (ids: string[], patch: { status?: string; assignee_id?: string | null }) =>
    t.ctx.db.kysely.updateTable('conversations').set(patch).where('id', 'in', ids).execute();

  it('gives exact figures for every view, status, team and channel, under the other filters', async () => {
    const opId = await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const teamId = await seedTeam(t.ctx, t.admin.accountId, 'Billing', [opId]);
    // Channel A: 60 open unassigned; 7 of them mine, 5 the operator's; 4 resolved, 3 pending.
    const a = await seedConversations(t.ctx, t.admin.accountId, 74);
    const ids = a.conversationIds;
    await set(ids.slice(0, 7), { assignee_id: t.admin.userId });
    await set(ids.slice(7, 12), { assignee_id: opId });
    await set(ids.slice(60, 64), { status: 'resolved' });
    await set(ids.slice(64, 67), { status: 'pending' });
    await set(ids.slice(67, 74), { status: 'snoozed' });
    // Channel B belongs to the team: 6 open unassigned.
    const b = await seedConversations(t.ctx, t.admin.accountId, 6, { teamId });

    const get = async (qs = '') => {
      const res = await t.as(t.admin, 'GET', `/api/v1/conversations/counts${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const open = await get('?status=open');
    expect(open.views).toEqual({ mine: 7, unassigned: 54, all: 66 });
    expect(open.statuses).toEqual({ open: 66, pending: 3, snoozed: 7, resolved: 4, bot: 0 });
    expect(open.channels).toEqual(
      expect.arrayContaining([
        { channelId: a.channelId, count: 60 },
        { channelId: b.channelId, count: 6 },
      ]),
    );
    expect(open.teams).toEqual(
      expect.arrayContaining([
        { teamId: null, count: 60 },
        { teamId, count: 6 },
      ]),
    );

    const any = await get();
    expect(any.views).toEqual({ mine: 7, unassigned: 68, all: 80 });
    const oneChannel = await get(`?status=open&channel=${b.channelId}`);
    expect(oneChannel.views).toEqual({ mine: 0, unassigned: 6, all: 6 });
    expect(oneChannel.statuses.open).toBe(6);
    const oneTeam = await get(`?team=${teamId}`);
    expect(oneTeam.views.all).toBe(6);
    // The assignee narrows the breakdowns, not the views.
    const mine = await get('?assignee=me');
    expect(mine.views).toEqual(any.views);
    expect(mine.statuses).toEqual({ open: 7, pending: 0, snoozed: 0, resolved: 0, bot: 0 });

    // The list agrees with the count: all 66 open conversations page out.
    let listed = 0;
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/conversations?status=open&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.as(t.admin, 'GET', url)).json();
      listed += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toBe(66);
  });

  it("counts under the list's label, attribute and SLA state filters, agreeing with the list", async () => {
    const k = t.ctx.db.kysely;
    const a = await seedConversations(t.ctx, t.admin.accountId, 10);
    const ids = a.conversationIds;
    await k
      .insertInto('conversation_labels')
      .values(
        ids.slice(0, 4).map((id) => ({ conversation_id: id, account_id: t.admin.accountId, label: 'vip' })),
      )
      .execute();
    await k
      .updateTable('conversations')
      .set({ attributes: JSON.stringify({ tier: 'gold' }) })
      .where('id', 'in', ids.slice(2, 7))
      .execute();
    const now = t.ctx.clock.now();
    await k
      .updateTable('conversations')
      .set({ sla_policy_id: 'p1', sla_metric: 'first_response', sla_due_at: now - 1000, sla_breached: 1 })
      .where('id', 'in', ids.slice(3, 6))
      .execute();
    await set(ids.slice(0, 1), { status: 'resolved' });

    const check = async (qs: string, all: number, open: number) => {
      const res = await t.as(t.admin, 'GET', `/api/v1/conversations/counts?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().views.all).toBe(all);
      expect(res.json().statuses.open).toBe(open);
      const list = await t.as(t.admin, 'GET', `/api/v1/conversations?${qs}&limit=100`);
      expect(list.json().items.length).toBe(all);
    };
    await check('label=vip', 4, 3);
    await check('attribute=tier:gold', 5, 5);
    await check('slaState=breached', 3, 3);
    await check('slaState=none', 7, 6);
    await check('label=vip&attribute=tier:gold&slaState=breached', 1, 1);
    await check('label=vip&status=open', 3, 3);
    expect((await t.as(t.admin, 'GET', '/api/v1/conversations/counts?attribute=tier')).statusCode).toBe(400);
    expect((await t.as(t.admin, 'GET', '/api/v1/conversations/counts?slaState=late')).statusCode).toBe(400);
  });

  it('counts for an operator only what they may see: no team and their own teams', async () => {
    const opId = await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const mineTeam = await seedTeam(t.ctx, t.admin.accountId, 'Sales', [opId]);
    const otherTeam = await seedTeam(t.ctx, t.admin.accountId, 'Billing', []);
    await seedConversations(t.ctx, t.admin.accountId, 3);
    const own = await seedConversations(t.ctx, t.admin.accountId, 4, { teamId: mineTeam });
    await seedConversations(t.ctx, t.admin.accountId, 5, { teamId: otherTeam });
    await set(own.conversationIds.slice(0, 2), { assignee_id: opId });

    const op = await t.login('op@example.com', 'operator-password');
    const res = (await t.as(op, 'GET', '/api/v1/conversations/counts')).json();
    expect(res.views).toEqual({ mine: 2, unassigned: 5, all: 7 });
    expect(res.teams.map((x: { teamId: string | null }) => x.teamId)).not.toContain(otherTeam);
    // Asking for the hidden team's figure gives nothing away.
    const hidden = (await t.as(op, 'GET', `/api/v1/conversations/counts?team=${otherTeam}`)).json();
    expect(hidden.views.all).toBe(0);
    // A supervisor sees the whole account.
    await seedUser(t.ctx, t.admin.accountId, 'sup@example.com', 'supervisor');
    const sup = await t.login('sup@example.com', 'operator-password');
    expect((await t.as(sup, 'GET', '/api/v1/conversations/counts')).json().views.all).toBe(12);
  });

  it('never counts another account’s conversations, and refuses bad filters', async () => {
    await seedConversations(t.ctx, t.admin.accountId, 5);
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const globex = await t.login('root@globex.test', 'globex password');
    const res = (await t.as(globex, 'GET', '/api/v1/conversations/counts')).json();
    expect(res.views).toEqual({ mine: 0, unassigned: 0, all: 0 });
    expect(res.channels).toEqual([]);
    const bad = await t.as(t.admin, 'GET', '/api/v1/conversations/counts?status=lost');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/conversations/counts' });
    expect(anonymous.statusCode).toBe(401);
  });
});
