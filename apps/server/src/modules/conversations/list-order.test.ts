import { beforeEach, describe, expect, it } from 'vitest';
import { seedConversations } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const MIN = 60_000;

describe.each(await testDialects())('Conversation list sorts and SLA state (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let ids: string[];

  /** Every page of the list, `limit` at a time, following nextCursor. */
  const all = async (query: string, limit = 2) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/conversations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.as(t.admin, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    return seen;
  };
  const pick = (...n: number[]) => n.map((i) => ids[i]);

  beforeEach(async () => {
    // Six customers wrote one message each, 1 s apart (ids[0] first): all waiting, oldest first.
    ({ conversationIds: ids } = await seedConversations(t.ctx, t.admin.accountId, 6));
    const k = t.ctx.db.kysely;
    // ids[1] resolved, ids[3] answered: nobody waits on them.
    expect(
      (await t.as(t.admin, 'PATCH', `/api/v1/conversations/${ids[1]}`, { status: 'resolved' })).statusCode,
    ).toBe(200);
    await k
      .updateTable('conversations')
      .set({ last_outbound_at: t.ctx.clock.now() + 10_000 })
      .where('id', '=', ids[3]!)
      .execute();
    for (const [i, priority] of [
      [0, 'low'],
      [2, 'urgent'],
      [4, 'high'],
      [5, 'urgent'],
    ] as const)
      expect((await t.as(t.admin, 'PATCH', `/api/v1/conversations/${ids[i]}`, { priority })).statusCode).toBe(
        200,
      );
  });

  it('oldest waiting: the longest-waiting customer first, those nobody waits on last, across pages', async () => {
    expect(await all('sort=oldest_waiting')).toEqual(pick(0, 2, 4, 5, 1, 3));
    expect(await all('sort=oldest_waiting&status=open', 3)).toEqual(pick(0, 2, 4, 5, 3));
  });

  it('priority: urgent, high, medium, low, none, each newest activity first, across pages', async () => {
    expect(await all('sort=priority')).toEqual(pick(5, 2, 4, 0, 3, 1));
    expect(await all('sort=priority', 1)).toEqual(pick(5, 2, 4, 0, 3, 1));
  });

  it('newest activity stays the default, and a cursor of another sort is refused', async () => {
    expect(await all('sort=activity', 4)).toEqual(pick(5, 4, 3, 2, 1, 0));
    const first = await t.as(t.admin, 'GET', '/api/v1/conversations?sort=priority&limit=2');
    const wrong = await t.as(
      t.admin,
      'GET',
      `/api/v1/conversations?sort=activity&cursor=${first.json().nextCursor}`,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('validation_error');
  });

  it('filters by SLA state against the nearest running target', async () => {
    const now = t.ctx.clock.now();
    const sla = async (i: number, dueAt: number, breached: number) =>
      t.ctx.db.kysely
        .updateTable('conversations')
        .set({ sla_policy_id: 'p1', sla_metric: 'first_response', sla_due_at: dueAt, sla_breached: breached })
        .where('id', '=', ids[i]!)
        .execute();
    await sla(0, now - MIN, 1);
    await sla(2, now + 10 * MIN, 0);
    await sla(4, now + 120 * MIN, 0);
    // Past due though the breach job has not marked it yet: already breached for the list.
    await sla(5, now - 1, 0);
    const state = async (s: string) => (await all(`slaState=${s}`)).sort();
    expect(await state('breached')).toEqual(pick(0, 5).sort());
    expect(await state('due_soon')).toEqual(pick(2));
    expect(await state('on_track')).toEqual(pick(4));
    expect(await state('none')).toEqual(pick(1, 3).sort());
    expect(await all('sort=sla_due', 1)).toEqual(pick(0, 5, 2, 4, 1, 3));
    expect((await t.as(t.admin, 'GET', '/api/v1/conversations?slaState=late')).statusCode).toBe(400);
  });
});
