import { describe, expect, it } from 'vitest';
import { jobHandlers } from '../../jobs.ts';
import { POISON_MARK, installPoisonTrigger, removePoisonTrigger } from '../../../test/poison-trigger.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { type PreparedInbound, inboundBatcherOf, roundsBySender } from './inbound-batch.ts';

const dialects = await testDialects();

const webhook = (n: number, customer: string, text = `message ${n}`) => ({
  eventId: `ev-${n}`,
  contact: { externalId: customer, name: `Customer ${customer}` },
  message: { externalId: `m-${n}`, text },
});

describe('rounds by sender', () => {
  const item = (channel: string, contact: string) =>
    ({
      channelRow: { id: channel },
      events: [{ kind: 'message', contact: { externalId: contact } }],
    }) as unknown as PreparedInbound;

  it('puts each sender once in a round, in arrival order', () => {
    const a1 = item('ch', 'a');
    const b1 = item('ch', 'b');
    const a2 = item('ch', 'a');
    const a2other = item('other', 'a');
    const a3 = item('ch', 'a');
    expect(roundsBySender([a1, b1, a2, a2other, a3])).toEqual([[a1, b1, a2other], [a2], [a3]]);
  });
});

// Batches are SQLite's (process-inbound.job.ts); on PostgreSQL every event has its own transaction.
describe.each(dialects.filter((d) => d === 'sqlite'))('inbound processing in batches (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now, apiChannel: {} });

  it('jobs running at once share a transaction; a poison event fails alone and the others are stored', async () => {
    await installPoisonTrigger(t.ctx.db.kysely, dialect);
    try {
      const bodies = Array.from({ length: 12 }, (_, i) =>
        webhook(i, `c${i}`, i === 5 ? `bad ${POISON_MARK}` : `message ${i}`),
      );
      for (const b of bodies) expect((await t.apiWebhook(t.channel, b)).statusCode).toBe(200);
      const before = { ...inboundBatcherOf(t.ctx).stats };
      // As the worker does with its free slots: every claimed job's handler at once.
      const jobs = await t.ctx.queue.claim(50, 60_000);
      expect(jobs).toHaveLength(12);
      const outcomes = await Promise.allSettled(jobs.map((j) => jobHandlers[j.type]!(t.ctx, j)));
      const stats = inboundBatcherOf(t.ctx).stats;
      expect(stats.splits - before.splits).toBe(1);
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
      const stored = await t.ctx.db.kysely.selectFrom('messages').select('body').orderBy('body').execute();
      expect(stored.map((m) => m.body)).toEqual(
        bodies
          .filter((_, i) => i !== 5)
          .map((b) => b.message.text)
          .sort(),
      );
      // The others' jobs were completed in their own commit; the poison's job is still the worker's to fail.
      const statuses = await t.ctx.db.kysely.selectFrom('jobs').select(['status']).execute();
      expect(statuses.filter((s) => s.status === 'done')).toHaveLength(11);
      const poison = await t.ctx.db.kysely
        .selectFrom('inbound_events')
        .select(['processed_at', 'failed_at'])
        .where('provider_event_id', '=', 'ev-5')
        .executeTakeFirstOrThrow();
      expect(poison).toEqual({ processed_at: null, failed_at: null });
    } finally {
      await removePoisonTrigger(t.ctx.db.kysely, dialect);
    }
  });

  it('without a poison event, fewer commits than events, and running a job twice changes nothing', async () => {
    for (let i = 0; i < 8; i++) await t.apiWebhook(t.channel, webhook(100 + i, `d${i}`));
    const before = { ...inboundBatcherOf(t.ctx).stats };
    const jobs = await t.ctx.queue.claim(50, 60_000);
    await Promise.all(jobs.map((j) => jobHandlers[j.type]!(t.ctx, j)));
    const stats = inboundBatcherOf(t.ctx).stats;
    expect(stats.requests - before.requests).toBe(8);
    // Fewer transactions than events: that is the point (how many depends on when each job got there).
    expect(stats.commits - before.commits).toBeLessThan(8);
    await Promise.all(jobs.map((j) => jobHandlers[j.type]!(t.ctx, j)));
    expect(await t.count('messages')).toBe(8);
    expect(await t.conversations()).toHaveLength(8);
  });
});
