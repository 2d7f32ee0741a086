import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversations } from '../../../test/seed.ts';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

describe.each(await testDialects())('message list pages (%s)', (dialect) => {
  let t: TestApp;
  let conv: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    conv = (await seedConversations(t.ctx, t.admin.accountId, 1)).conversationIds[0]!;
    for (let i = 1; i <= 5; i++) {
      const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv}/messages`, {
        text: `note ${i}`,
        clientMessageId: `page-${i}`,
        private: true,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('pages backwards from the newest, each page in reading order, without overlap or gaps', async () => {
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/conversations/${conv}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.as(t.admin, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { text: string | null }[]; nextCursor: string | null };
      seen.push(body.items.map((m) => m.text ?? '').filter((x) => x.startsWith('note')));
      cursor = body.nextCursor;
    } while (cursor);
    const notes = seen.flat();
    expect(seen[0]).toEqual(['note 4', 'note 5']);
    expect(notes.filter((n) => n.startsWith('note')).sort()).toEqual([
      'note 1',
      'note 2',
      'note 3',
      'note 4',
      'note 5',
    ]);
  });

  it('refuses a cursor it did not make', async () => {
    const res = await t.as(t.admin, 'GET', `/api/v1/conversations/${conv}/messages?cursor=bm9wZQ`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_error', message: 'cursor: malformed' });
  });
});
