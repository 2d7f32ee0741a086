import { describe, expect, it } from 'vitest';
import { seedConversations } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();

describe.each(dialects)('Search sees edits at once (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('a renamed contact is found under the new name, not the old one', async () => {
    await seedConversations(t.ctx, t.admin.accountId, 1);
    const contact = (await t.as(t.admin, 'GET', '/api/v1/contacts')).json().items[0];
    const res = await t.as(t.admin, 'PATCH', `/api/v1/contacts/${contact.id}`, { name: 'Евдокия Кузнецова' });
    expect(res.statusCode).toBe(200);
    const hits = async (q: string) =>
      (await t.as(t.admin, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}&kind=contacts`)).json().items
        .length;
    expect(await hits('Кузнецовой')).toBe(1);
    expect(await hits('евдокия')).toBe(1);
    await t.as(t.admin, 'PATCH', `/api/v1/contacts/${contact.id}`, { name: 'Мария' });
    expect(await hits('Кузнецова')).toBe(0);
  });
});
