import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { eventsSince } from './event-log.ts';
import type { CommittedEvent } from './event-listeners.ts';
import { EventSequencer } from './event-sequencer.ts';
import { transact } from './unit-of-work.ts';

const dialects = await testDialects();

describe.each(dialects)('account event numbering (%s)', (dialect) => {
  let t: TestApp;
  let accountId: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    accountId = t.admin.accountId;
  });
  afterEach(async () => {
    await t.close();
  });

  const eventSeq = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('accounts')
        .select('event_seq')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).event_seq;

  const emitNotes = (tag: string, count: number) =>
    transact(t.ctx, async (uow) => {
      for (let i = 0; i < count; i++)
        uow.emit(accountId, 'contact_note.deleted', { id: `${tag}-${i}`, contactId: 'c' });
    });

  /** A console that replays by cursor until it has seen `total` events; what it saw, in order. */
  async function replayUntil(from: number, total: number): Promise<{ seq: number; id: string }[]> {
    const seen: { seq: number; id: string }[] = [];
    let cursor = from;
    while (seen.length < total) {
      const page = await eventsSince(t.ctx, accountId, cursor, 50);
      for (const e of page) {
        seen.push({ seq: e.seq, id: (e.payload as { id: string }).id });
        cursor = e.seq;
      }
      if (!page.length) await new Promise((r) => setImmediate(r));
    }
    return seen;
  }

  it('many concurrent transactions of one account get gap-free, unique, increasing numbers; consoles replaying by cursor see each event once, in order', async () => {
    const live: CommittedEvent[] = [];
    t.ctx.listeners.register({
      name: 'test.live',
      mode: 'after-commit',
      events: ['contact_note.deleted'],
      async handle(_ctx, events) {
        live.push(...events);
      },
    });
    const start = await eventSeq();
    const writers = 120;
    const sizes = Array.from({ length: writers }, (_, i) => 1 + (i % 3));
    const total = sizes.reduce((a, b) => a + b, 0);
    // A second node's sequencer sweeping the same account at the same time: both number under the
    // account row lock, and each transaction still learns the numbers the other one gave.
    const otherNode = new EventSequencer(t.ctx.db);
    let writing = true;
    const sweeping = (async () => {
      while (writing && dialect === 'postgres') await otherNode.sweep();
    })();

    const consoles = [replayUntil(start, total), replayUntil(start, total), replayUntil(start, total)];
    await Promise.all(sizes.map((n, w) => emitNotes(`w${w}`, n)));
    writing = false;
    await sweeping;
    const replays = await Promise.all(consoles);

    const expected = Array.from({ length: total }, (_, i) => start + 1 + i);
    expect(await eventSeq()).toBe(start + total);
    const stored = await eventsSince(t.ctx, accountId, start, total + 10);
    expect(stored.map((e) => e.seq)).toEqual(expected);
    for (const seen of replays) {
      expect(seen.map((e) => e.seq)).toEqual(expected);
      expect(seen.map((e) => e.id)).toEqual(stored.map((e) => (e.payload as { id: string }).id));
    }
    // What the after-commit listeners got: every event once, numbered as stored, a transaction's own
    // events in the order it emitted them.
    expect(live.map((e) => e.seq).sort((a, b) => a - b)).toEqual(expected);
    const storedId = new Map(stored.map((e) => [e.seq, (e.payload as { id: string }).id]));
    const idOf = (e: CommittedEvent) => (e.payload as { id: string }).id;
    for (const e of live) expect(storedId.get(e.seq)).toBe(idOf(e));
    for (const [w, n] of sizes.entries()) {
      const mine = live.filter((e) => idOf(e).startsWith(`w${w}-`));
      expect(mine.map(idOf)).toEqual(Array.from({ length: n }, (_, i) => `w${w}-${i}`));
      expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((a, b) => a - b));
    }
  });

  it.runIf(dialect === 'postgres')(
    'events committed but never numbered (a node died in between) are numbered by the sweep, and before the next event',
    async () => {
      const k = t.ctx.db.kysely;
      const start = await eventSeq();
      const leftover = (id: string) => ({
        account_id: accountId,
        seq: null,
        type: 'contact_note.deleted',
        team_id: null,
        payload: JSON.stringify({ id, contactId: 'c' }),
        created_at: t.ctx.clock.now(),
      });
      await k
        .insertInto('account_events')
        .values([leftover('a'), leftover('b'), leftover('c')])
        .execute();
      // Not in the log yet: a console's replay skips nothing it could later miss.
      expect(await eventsSince(t.ctx, accountId, start)).toEqual([]);

      // A node starting after the crash sweeps.
      expect(await new EventSequencer(t.ctx.db).sweep()).toBe(1);
      const swept = await eventsSince(t.ctx, accountId, start);
      expect(swept.map((e) => [e.seq, (e.payload as { id: string }).id])).toEqual([
        [start + 1, 'a'],
        [start + 2, 'b'],
        [start + 3, 'c'],
      ]);
      expect(await eventSeq()).toBe(start + 3);
      expect(await new EventSequencer(t.ctx.db).sweep()).toBe(0);

      // Leftovers are also numbered by the account's next sequencing, ahead of the newer event.
      await k
        .insertInto('account_events')
        .values([leftover('d'), leftover('e')])
        .execute();
      await emitNotes('next', 1);
      const after = await eventsSince(t.ctx, accountId, start + 3);
      expect(after.map((e) => [e.seq, (e.payload as { id: string }).id])).toEqual([
        [start + 4, 'd'],
        [start + 5, 'e'],
        [start + 6, 'next-0'],
      ]);
      const unnumbered = await k
        .selectFrom('account_events')
        .select('pos')
        .where('seq', 'is', null)
        .execute();
      expect(unnumbered).toEqual([]);
    },
  );
});
