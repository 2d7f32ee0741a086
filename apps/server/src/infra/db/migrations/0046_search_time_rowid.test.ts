import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/test-db.ts';
import { ROWIDS_PER_SECOND } from '../../../modules/search/doc-rowid.ts';
import { upsertDoc } from '../../../modules/search/search-index.ts';
import { up } from './0046_search_time_rowid.ts';

/**
 * SQLite documents indexed in any order get time-ordered row ids (second, then indexing order within
 * it), the FTS5 index follows them, and a document indexed afterwards takes the next id of its second.
 */
describe('migration 0046: time-ordered search row ids (sqlite)', () => {
  let t: TestDatabase;
  afterEach(async () => {
    await t.drop();
  });

  it('renumbers documents by time and keeps full-text matches on the new row ids', async () => {
    t = await createTestDatabase('sqlite');
    const k = t.db.kysely;
    const s = 1_790_000_000_000;
    // Indexed out of time order, with the row ids SQLite used to give (1, 2, 3, …); within a second the
    // order is time, then the old row id (indexing order).
    const docs = [
      { rid: 1, ref: 'late', at: s + 5_000, terms: ' kettl  blue ' },
      { rid: 2, ref: 'early', at: s + 100, terms: ' kettl ' },
      { rid: 3, ref: 'early-same-second', at: s + 900, terms: ' blue ' },
      { rid: 4, ref: 'early-first', at: s + 100, terms: ' kettl  red ' },
    ];
    for (const d of docs)
      await sql`insert into search_docs (rid, account_id, kind, ref_id, conversation_id, contact_id, created_at, term_count, terms)
        values (${d.rid}, 'acc', 'message', ${d.ref}, 'conv', 'contact', ${d.at}, 2, ${d.terms})`.execute(k);
    await up(k as unknown as Kysely<unknown>);
    const base = Math.floor(s / 1000) * ROWIDS_PER_SECOND;
    const rows = await k.selectFrom('search_docs').select(['rid', 'ref_id']).orderBy('rid').execute();
    expect(rows).toEqual([
      { rid: base, ref_id: 'early' },
      { rid: base + 1, ref_id: 'early-first' },
      { rid: base + 2, ref_id: 'early-same-second' },
      { rid: base + 5 * ROWIDS_PER_SECOND, ref_id: 'late' },
    ]);
    const match = async (w: string) =>
      (
        await sql<{
          rowid: number;
        }>`select rowid from search_fts where search_fts match ${w} order by rowid desc`.execute(k)
      ).rows.map((r) => Number(r.rowid));
    expect(await match('kettl')).toEqual([base + 5 * ROWIDS_PER_SECOND, base + 1, base]);
    expect(await match('blue')).toEqual([base + 5 * ROWIDS_PER_SECOND, base + 2]);
    // The triggers were recreated: a new document of the same second is indexed under the next row id.
    await upsertDoc(k, 'sqlite', {
      accountId: 'acc',
      kind: 'message',
      refId: 'new',
      conversationId: 'conv',
      contactId: 'contact',
      channelId: null,
      authorId: null,
      direction: 'in',
      createdAt: s + 500,
      texts: ['red'],
    });
    expect(await match('red')).toEqual([base + 3, base + 1]);
  });
});
