import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { backfill } from '../../infra/db/migrations/0003_search_templates.ts';
import { buildCorpus, type Corpus, DAY0 } from './search-corpus.fixture.ts';
import { indexContact } from './search-index.ts';

const dialects = await testDialects();

describe.each(dialects)('search index maintenance (%s)', (dialect) => {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
  });

  const hits = async (q: string) => {
    const res = await t.as(t.admin, 'GET', `/api/v1/search?${new URLSearchParams({ q })}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((h: { kind: string; messageId: string | null }) => h.messageId ?? h.kind);
  };

  it('rebuilds the whole index from the tables (what the migration does for existing history)', async () => {
    const before = { orders: await hits('заказ'), contact: await hits('Иванова') };
    const count = async () =>
      Number(
        (
          await t.ctx.db.kysely
            .selectFrom('search_docs')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const keys = async () =>
      (await t.ctx.db.kysely.selectFrom('search_docs').select(['kind', 'ref_id', 'terms']).execute()).map(
        (d) => `${d.kind}:${d.ref_id}:${d.terms}`,
      );
    const live = await keys();
    await t.ctx.db.kysely.deleteFrom('search_docs').execute();
    expect(await hits('заказ')).toEqual([]);
    await t.ctx.db.kysely.transaction().execute((tx) => backfill(tx, t.ctx.db.dialect));
    // Every document written live comes back identical (the rebuild may add lines written by paths
    // without the hook, such as assignment notes).
    expect(await keys()).toEqual(expect.arrayContaining(live));
    const docs = await count();
    expect(await hits('заказ')).toEqual(before.orders);
    expect(await hits('Иванова')).toEqual(before.contact);
    // Running it again replaces documents instead of duplicating them.
    await t.ctx.db.kysely.transaction().execute((tx) => backfill(tx, t.ctx.db.dialect));
    expect(await count()).toBe(docs);
  });

  it('re-indexes a contact whose details changed, dropping the old words', async () => {
    const contactId = (await t.as(t.admin, 'GET', `/api/v1/conversations/${c.conv.petr}`)).json().contact.id;
    const res = await t.as(t.admin, 'PATCH', `/api/v1/contacts/${contactId}`, {
      name: 'Пётр Кузнецов',
      email: 'petr@example.com',
    });
    expect(res.statusCode).toBe(200);
    await t.ctx.db.kysely.transaction().execute((tx) => indexContact(t.ctx, tx, contactId));
    expect(await hits('Кузнецову')).toEqual(['contact']);
    expect(await hits('Кузнецов')).toEqual(['contact']);
    expect(await hits('petr@example.com')).toEqual(['contact']);
    expect(await hits('Сидоров')).toEqual([]);
  });
});
