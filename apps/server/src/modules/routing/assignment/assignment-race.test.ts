import { beforeEach, describe, expect, it } from 'vitest';
import { seedConversations } from '../../../../test/seed.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import type { AppContext } from '../../../app-context.ts';
import { ManualClock } from '../../../infra/clock.ts';
import { SqlJobQueue } from '../../../infra/queue/sql-job-queue.ts';
import { transact } from '../../events/unit-of-work.ts';
import { autoAssign } from './assignment.service.ts';
import { addOperator, setRouting } from '../routing-test-kit.ts';

const dialects = await testDialects();

/**
 * Two nodes (two separate connection pools on one PostgreSQL database) assigning at the same moment.
 * SQLite has a single writer, so the race cannot happen there; this suite runs on PostgreSQL only.
 */
describe.skipIf(!dialects.includes('postgres'))('assignment under concurrency (postgres, two nodes)', () => {
  const t = useTestApp('postgres');
  let nodeB: AppContext;

  beforeEach(async () => {
    const clock = new ManualClock();
    const db = t.db.openAnother();
    nodeB = { ...t.ctx, db, queue: new SqlJobQueue(db, clock) };
  });

  const nodes = () => [t.ctx, nodeB] as const;
  const assign = (ctx: AppContext, id: string) =>
    transact(ctx, (uow) => autoAssign(ctx, uow, id, { reason: 'queue' }));

  async function queued(n: number): Promise<string[]> {
    const { channelId, conversationIds } = await seedConversations(t.ctx, t.admin.accountId, n);
    await setRouting(t, channelId, { assignment: { mode: 'round_robin' } });
    return conversationIds;
  }

  it("never exceeds an operator's capacity", async () => {
    for (let round = 0; round < 5; round++) {
      const anna = await addOperator(t, `Anna${round}`, { capacity: 2 });
      const ids = await queued(10);
      // Every conversation is tried by both nodes at once.
      const results = await Promise.all(ids.flatMap((id) => nodes().map((ctx) => assign(ctx, id))));
      expect(results.filter((r) => r === anna.userId)).toHaveLength(2);
      const rows = await t.ctx.db.kysely
        .selectFrom('conversations')
        .select('assignee_id')
        .where('id', 'in', ids)
        .execute();
      expect(rows.filter((r) => r.assignee_id === anna.userId)).toHaveLength(2);
      // Done with this round: Anna leaves so the next round starts from an empty team.
      await t.ctx.db.kysely
        .updateTable('memberships')
        .set({ availability: 'offline' })
        .where('user_id', '=', anna.userId)
        .execute();
    }
  });

  it('never assigns one conversation twice', async () => {
    const anna = await addOperator(t, 'Anna', { capacity: 100 });
    const boris = await addOperator(t, 'Boris', { capacity: 100 });
    const ids = await queued(20);
    const results = await Promise.all(ids.flatMap((id) => nodes().map((ctx) => assign(ctx, id))));
    // Exactly one of the two nodes won each conversation.
    for (let i = 0; i < ids.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]];
      expect(
        pair.filter((r) => r !== null),
        `conversation ${i}`,
      ).toHaveLength(1);
    }
    const history = await t.ctx.db.kysely
      .selectFrom('conversation_assignments')
      .select(['conversation_id', 'user_id'])
      .where('conversation_id', 'in', ids)
      .execute();
    expect(history).toHaveLength(ids.length);
    expect(new Set(history.map((h) => h.conversation_id)).size).toBe(ids.length);
    const system = await t.ctx.db.kysely
      .selectFrom('messages')
      .select('conversation_id')
      .where('conversation_id', 'in', ids)
      .where('content_kind', '=', 'system')
      .execute();
    expect(system).toHaveLength(ids.length);
    const final = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select('assignee_id')
      .where('id', 'in', ids)
      .execute();
    expect(final.every((r) => r.assignee_id === anna.userId || r.assignee_id === boris.userId)).toBe(true);
  });
});
