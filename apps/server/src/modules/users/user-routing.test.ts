import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { addOperator, conversationOf, postInbound, setRouting } from '../routing/routing-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('user changes and automatic assignment (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.UTC(2026, 0, 5, 7, 0, 0), apiChannel: {} });

  it('deactivating an operator hands their conversations on; raising a capacity drains the queue', async () => {
    const anna = await addOperator(t, 'Anna', { capacity: 1 });
    const boris = await addOperator(t, 'Boris', { capacity: 1 });
    await setRouting(t, t.channel.id, { assignment: { mode: 'round_robin' } });
    for (const c of ['c1', 'c2', 'c3']) await postInbound(t, t.channel, c, 'Hello');
    await t.drainJobs();
    const assignees = async () =>
      Promise.all(['c1', 'c2', 'c3'].map(async (c) => (await conversationOf(t, c)).assigneeId));
    const before = await assignees();
    expect(before.filter((a) => a === null)).toHaveLength(1);

    // More room for Boris: the waiting conversation goes to him.
    expect((await t.as(t.admin, 'PATCH', `/api/v1/users/${boris.userId}`, { capacity: 5 })).statusCode).toBe(
      200,
    );
    await t.drainJobs();
    expect((await assignees()).filter((a) => a === boris.userId)).toHaveLength(2);

    // Anna leaves: her conversation goes to Boris, who has room.
    expect((await t.as(t.admin, 'DELETE', `/api/v1/users/${anna.userId}`)).statusCode).toBe(204);
    await t.drainJobs();
    expect(await assignees()).toEqual([boris.userId, boris.userId, boris.userId]);
  });
});
