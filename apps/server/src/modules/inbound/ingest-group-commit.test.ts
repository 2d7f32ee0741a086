import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { batcherOf, storeProviderEvents } from './inbound-store.ts';

const dialects = await testDialects();

const webhook = (n: number, customer: string) => ({
  eventId: `ev-${n}`,
  contact: { externalId: customer, name: `Customer ${customer}` },
  message: { externalId: `m-${n}`, text: `message ${n}` },
});

describe.each(dialects)('ingest group commit (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now, apiChannel: {} });

  it('concurrent webhooks share transactions, each answered after its commit, none lost, order kept', async () => {
    const before = { ...batcherOf(t.ctx).stats };
    // 30 webhooks at once from 30 customers, while 3 customers each send 15 messages one after
    // another (waiting for each 2xx, as providers do within one chat).
    const burst = Array.from({ length: 30 }, (_, i) => webhook(1000 + i, `b${i}`));
    const chats = ['c0', 'c1', 'c2'].map((c, k) =>
      Array.from({ length: 15 }, (_, i) => webhook(k * 100 + i, c)),
    );
    const answers = await Promise.all([
      ...burst.map((b) => t.apiWebhook(t.channel, b).then((a) => a.statusCode)),
      ...chats.map(async (chat) => {
        const codes: number[] = [];
        for (const b of chat) codes.push((await t.apiWebhook(t.channel, b)).statusCode);
        return codes;
      }),
    ]);
    expect(answers.flat()).toEqual(Array.from({ length: 75 }, () => 200));
    const stats = batcherOf(t.ctx).stats;
    expect(stats.requests - before.requests).toBe(75);
    // Fewer transactions than webhooks: that is the point.
    expect(stats.commits - before.commits).toBeLessThan(75);
    expect(stats.largest).toBeGreaterThan(1);
    expect(await t.count('inbound_events')).toBe(75);

    await t.drainJobs();
    const conversations = await t.conversations();
    expect(conversations).toHaveLength(33);
    for (const c of conversations) {
      const customer = /Customer (\w+)/.exec(c.contact.name ?? '')![1]!;
      const texts = (await t.messagesOf(c.id)).map((m) => m.text);
      const expected = [...burst, ...chats.flat()]
        .filter((b) => b.contact.externalId === customer)
        .map((b) => b.message.text);
      expect(texts).toEqual(expected);
    }
  });

  it('a provider retry inside the same batch is acknowledged and stored once', async () => {
    const b = webhook(1, 'c1');
    const answers = await Promise.all([1, 2, 3, 4].map(() => t.apiWebhook(t.channel, b)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await t.count('inbound_events')).toBe(1);
    expect(await t.count('jobs')).toBeGreaterThanOrEqual(1);
    await t.drainJobs();
    const [c] = await t.conversations();
    expect((await t.messagesOf(c!.id)).map((m) => m.text)).toEqual(['message 1']);
  });

  it('one request the database refuses fails alone; the rest of its transaction is committed', async () => {
    const [row] = await t.ctx.db.kysely
      .selectFrom('channels')
      .select(['id', 'account_id'])
      .where('id', '=', t.channel.id)
      .execute();
    const good = (n: number) =>
      storeProviderEvents(t.ctx, row!, [{ providerEventId: `p-${n}`, payload: webhook(n, 'c1') }]);
    const before = batcherOf(t.ctx).stats.splits;
    const results = await Promise.allSettled([
      good(1),
      good(2),
      // A channel that does not exist breaks the foreign key: the shared transaction rolls back.
      storeProviderEvents(t.ctx, { id: 'no-such-channel', account_id: row!.account_id }, [
        { providerEventId: 'p-x', payload: {} },
      ]),
      good(3),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual([1, 1, 1]);
    expect(batcherOf(t.ctx).stats.splits).toBe(before + 1);
    const ids = await t.ctx.db.kysely
      .selectFrom('inbound_events')
      .select('provider_event_id')
      .orderBy('id')
      .execute();
    expect(ids.map((r) => r.provider_event_id)).toEqual(['p-1', 'p-2', 'p-3']);
  });
});
