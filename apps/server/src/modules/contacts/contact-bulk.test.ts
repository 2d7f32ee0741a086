import { describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { seedUser } from '../../../test/seed.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';

describe.each(await testDialects())('bulk contact actions (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true, apiChannel: {} });

  const seed = async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/contacts/import', {
      source: 'test',
      channelId: t.channel.id,
      contacts: [
        { name: 'Ada', externalId: 'b-1', labels: ['VIP'] },
        { name: 'Bo', externalId: 'b-2' },
        { name: 'Cy', externalId: 'b-3' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = (await t.as(t.admin, 'GET', '/api/v1/contacts?limit=50')).json().items as {
      id: string;
      name: string;
      labels: string[];
    }[];
    return Object.fromEntries(list.map((c) => [c.name, c]));
  };

  it('adds and removes a label on selected contacts, counting what changed; erases selected contacts (admin)', async () => {
    const c = await seed();
    const bulk = (body: unknown, s: Session = t.admin) => t.as(s, 'POST', '/api/v1/contacts/bulk', body);
    const ids = [c.Ada!.id, c.Bo!.id, 'nope'];
    const added = await bulk({ action: 'addLabel', ids, label: 'VIP' });
    expect(added.json()).toEqual({ changed: 1, unchanged: 1, notFound: ['nope'] });
    const labelled = (await t.as(t.admin, 'GET', '/api/v1/contacts?label=VIP')).json().items;
    expect(labelled.map((x: { name: string }) => x.name).sort()).toEqual(['Ada', 'Bo']);
    const removed = await bulk({ action: 'removeLabel', ids: [c.Ada!.id, c.Cy!.id], label: 'VIP' });
    expect(removed.json()).toEqual({ changed: 1, unchanged: 1, notFound: [] });

    await seedUser(t.ctx, t.admin.accountId, 'sup@example.com', 'supervisor');
    const sup = await t.login('sup@example.com', 'operator-password');
    expect((await bulk({ action: 'addLabel', ids, label: 'x' }, sup)).statusCode).toBe(200);
    const refused = await bulk({ action: 'erase', ids: [c.Bo!.id], erase: true }, sup);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await bulk({ action: 'erase', ids: [c.Bo!.id] })).statusCode).toBe(400);

    const erased = await bulk({ action: 'erase', ids: [c.Bo!.id, c.Cy!.id], erase: true });
    expect(erased.json()).toEqual({ changed: 2, unchanged: 0, notFound: [] });
    const again = await bulk({ action: 'erase', ids: [c.Bo!.id], erase: true });
    expect(again.json()).toEqual({ changed: 0, unchanged: 1, notFound: [] });
    const left = (await t.as(t.admin, 'GET', '/api/v1/contacts')).json().items;
    expect(left.map((x: { name: string }) => x.name)).toEqual(['Ada']);
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'contact.erased')
      .execute();
    expect(audit).toHaveLength(2);
  });
});
