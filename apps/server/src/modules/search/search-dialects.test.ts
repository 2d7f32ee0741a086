import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { buildCorpus, type Corpus, DAY0 } from './search-corpus.fixture.ts';

const dialects = await testDialects();

const QUERIES = [
  'заказ',
  'заказы доставка',
  'order',
  'kettle',
  'blue kettle',
  '"blue kettle"',
  'Мария',
  '+7 999 000-11-22',
  'john.smith@example.com',
  'refund order',
  'hyperlink',
  '15',
];

/**
 * The same corpus on SQLite and PostgreSQL must give the same hits in the same order with the same
 * scores and snippets: one tokeniser and one scoring formula, the databases only match stems.
 */
describe.runIf(dialects.length === 2)('search gives identical results on SQLite and PostgreSQL', () => {
  const apps: { t: TestApp; c: Corpus }[] = [];

  beforeAll(async () => {
    for (const d of dialects) {
      const clock = new ManualClock(DAY0 - 3_600_000);
      const t = await createTestApp(d, { clock });
      apps.push({ t, c: await buildCorpus(t, clock) });
    }
  }, 60_000);
  afterAll(async () => {
    for (const a of apps) await a.t.close();
  });

  it.each(QUERIES)('%s', async (q) => {
    const results = [];
    for (const { t, c } of apps) {
      const res = await t.as(t.admin, 'GET', `/api/v1/search?${new URLSearchParams({ q, limit: '100' })}`);
      expect(res.statusCode, res.body).toBe(200);
      // Ids differ between the two databases: compare by corpus key.
      const keyOf = (id: string | null) =>
        Object.entries({ ...c.msg, ...c.conv }).find(([, v]) => v === id)?.[0] ?? id;
      results.push(
        res.json().items.map((h: Record<string, unknown>) => ({
          kind: h.kind,
          message: keyOf(h.messageId as string | null),
          conversation: keyOf(h.conversationId as string | null),
          score: h.score,
          snippet: h.snippet,
        })),
      );
    }
    expect(results[0].length, q).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
  });
});
