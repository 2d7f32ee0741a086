import { beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedTeam, seedUser } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();

describe.each(dialects)('Conversations API (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let operator: Session;
  let operatorId: string;
  beforeEach(async () => {
    operatorId = await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    operator = await t.login('olga@example.com', 'operator-password');
  });

  it('pages through every conversation newest first with a cursor, without overlap', async () => {
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 7);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.as(t.admin, 'GET', url);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...conversationIds].reverse());
  });

  it('filters by status, assignee (me/none/id) and channel', async () => {
    const { conversationIds: ids, channelId } = await seedConversations(t.ctx, t.admin.accountId, 4);
    const other = await seedConversations(t.ctx, t.admin.accountId, 1);
    expect(
      (await t.as(operator, 'PATCH', `/api/v1/conversations/${ids[0]}`, { assigneeId: operatorId }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/conversations/${ids[1]}`, { status: 'resolved' })).statusCode,
    ).toBe(200);
    const get = async (s: Session, q: string) =>
      (await t.as(s, 'GET', `/api/v1/conversations?${q}`))
        .json()
        .items.map((c: { id: string }) => c.id)
        .sort();
    expect(await get(operator, 'assignee=me')).toEqual([ids[0]]);
    expect(await get(t.admin, `assignee=${operatorId}`)).toEqual([ids[0]]);
    expect(await get(t.admin, 'assignee=none&status=open')).toEqual(
      [ids[2], ids[3], other.conversationIds[0]].sort(),
    );
    expect(await get(t.admin, 'status=resolved')).toEqual([ids[1]]);
    expect(await get(t.admin, `channel=${channelId}`)).toEqual([...ids].sort());
  });

  it('changes status, snooze, priority and labels, and records resolve time', async () => {
    const {
      conversationIds: [id],
    } = await seedConversations(t.ctx, t.admin.accountId, 1);
    let res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, {
      priority: 'high',
      labels: ['vip', 'order', 'vip'],
    });
    expect(res.json()).toMatchObject({ priority: 'high', labels: ['order', 'vip'] });
    const until = t.ctx.clock.now() + 3_600_000;
    res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, {
      status: 'snoozed',
      snoozedUntil: until,
    });
    expect(res.json()).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, { status: 'snoozed' });
    expect(res.statusCode).toBe(400);
    res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    expect(res.json()).toMatchObject({ status: 'resolved', snoozedUntil: null });
    expect(res.json().resolvedAt).toBeTypeOf('number');
    res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, { labels: [] });
    expect(res.json().labels).toEqual([]);
    res = await t.as(operator, 'PATCH', `/api/v1/conversations/${id}`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_error');
  });

  it('lets an operator take a conversation but not hand another one around', async () => {
    const {
      conversationIds: [a, b],
    } = await seedConversations(t.ctx, t.admin.accountId, 2);
    const colleague = await seedUser(t.ctx, t.admin.accountId, 'ivan@example.com', 'operator');
    expect(
      (await t.as(operator, 'PATCH', `/api/v1/conversations/${a}`, { assigneeId: operatorId })).statusCode,
    ).toBe(200);
    // Her own conversation she may transfer.
    expect(
      (await t.as(operator, 'PATCH', `/api/v1/conversations/${a}`, { assigneeId: colleague })).statusCode,
    ).toBe(200);
    const res = await t.as(operator, 'PATCH', `/api/v1/conversations/${b}`, { assigneeId: colleague });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/conversations/${b}`, { assigneeId: colleague })).statusCode,
    ).toBe(200);
    const bad = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${b}`, { assigneeId: 'nobody' });
    expect(bad.statusCode).toBe(400);
  });

  it("hides other teams' conversations from operators (404) but not from supervisors", async () => {
    const supervisorId = await seedUser(t.ctx, t.admin.accountId, 'sam@example.com', 'supervisor');
    const sales = await seedTeam(t.ctx, t.admin.accountId, 'Sales', [operatorId]);
    const support = await seedTeam(t.ctx, t.admin.accountId, 'Support', [supervisorId]);
    const mine = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId: sales });
    const theirs = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId: support });
    const open = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId: null });
    const ids = (await t.as(operator, 'GET', '/api/v1/conversations'))
      .json()
      .items.map((c: { id: string }) => c.id)
      .sort();
    expect(ids).toEqual([mine.conversationIds[0], open.conversationIds[0]].sort());
    const hidden = theirs.conversationIds[0];
    expect((await t.as(operator, 'GET', `/api/v1/conversations/${hidden}`)).statusCode).toBe(404);
    expect((await t.as(operator, 'GET', `/api/v1/conversations/${hidden}/messages`)).statusCode).toBe(404);
    expect(
      (
        await t.as(operator, 'POST', `/api/v1/conversations/${hidden}/messages`, {
          text: 'x',
          clientMessageId: 'x',
        })
      ).statusCode,
    ).toBe(404);
    const sup = await t.login('sam@example.com', 'operator-password');
    expect((await t.as(sup, 'GET', '/api/v1/conversations')).json().items).toHaveLength(3);
    // Moving a conversation into a team the operator is not in takes it out of her sight.
    await t.as(t.admin, 'PATCH', `/api/v1/conversations/${open.conversationIds[0]}`, { teamId: support });
    expect((await t.as(operator, 'GET', `/api/v1/conversations/${open.conversationIds[0]}`)).statusCode).toBe(
      404,
    );
  });

  it('pages a long history backwards from the newest message', async () => {
    const {
      conversationIds: [id],
    } = await seedConversations(t.ctx, t.admin.accountId, 1);
    for (let i = 0; i < 5; i++) {
      const r = await t.as(operator, 'POST', `/api/v1/conversations/${id}/messages`, {
        text: `note ${i}`,
        clientMessageId: `n${i}`,
        private: true,
      });
      expect(r.statusCode).toBe(201);
    }
    const first = (await t.as(operator, 'GET', `/api/v1/conversations/${id}/messages?limit=4`)).json();
    expect(first.items.map((m: { text: string }) => m.text)).toEqual([
      'note 1',
      'note 2',
      'note 3',
      'note 4',
    ]);
    const second = (
      await t.as(operator, 'GET', `/api/v1/conversations/${id}/messages?limit=4&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items.map((m: { text: string }) => m.text)).toEqual(['hello 0', 'note 0']);
    expect(second.nextCursor).toBeNull();
  });
});
