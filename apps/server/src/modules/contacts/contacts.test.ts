import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { signApiBody } from '../channels/api/api-signature.ts';

const dialects = await testDialects();

describe.each(dialects)('contacts API (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  /** A contact the way customers really arrive: a signed inbound message on an API channel. */
  async function inboundContact(externalId: string, contact: Record<string, string>) {
    const ch = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: `Shop ${externalId}` });
    const { id: channelId, connection } = ch.json();
    const body = JSON.stringify({
      eventId: `evt-${externalId}`,
      contact: { externalId, ...contact },
      message: { externalId: `m-${externalId}`, text: 'hello' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(connection.secret, body),
      },
      payload: body,
    });
    expect(res.statusCode).toBeLessThan(300);
    await t.drainJobs();
    const identity = await t.ctx.db.kysely
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    return { contactId: identity.contact_id, channelId };
  }

  async function insertContacts(n: number, sameTimeEvery = 3) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // Several contacts share a timestamp so the cursor's id tie-break is exercised.
      const at = t.clock.now() + Math.floor(i / sameTimeEvery) * 1000;
      const id = newId(at);
      ids.push(id);
      await t.ctx.db.kysely
        .insertInto('contacts')
        .values({
          id,
          account_id: t.admin.accountId,
          name: `Customer ${i}`,
          phone: `+7999000${String(i).padStart(4, '0')}`,
          email: i % 2 ? `c${i}@Mail.test` : null,
          attributes: '{}',
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    return ids;
  }

  it('pages through contacts newest first without gaps or repeats', async () => {
    const ids = await insertContacts(11);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/contacts?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.as(t.admin, 'GET', url);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    for (const bad of ['garbage', Buffer.from('["x",1]').toString('base64url')]) {
      const res = await t.as(t.admin, 'GET', `/api/v1/contacts?cursor=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    expect((await t.as(t.admin, 'GET', '/api/v1/contacts?limit=0')).statusCode).toBe(400);
  });

  it('filters by a substring of name, phone or e-mail, case-insensitively and with wildcards taken literally', async () => {
    await insertContacts(12);
    const q = async (s: string) =>
      (await t.as(t.admin, 'GET', `/api/v1/contacts?q=${encodeURIComponent(s)}`))
        .json()
        .items.map((c: { name: string }) => c.name)
        .sort();
    expect(await q('customer 1')).toEqual(['Customer 1', 'Customer 10', 'Customer 11']);
    expect(await q('0003')).toEqual(['Customer 3']);
    expect(await q('C5@MAIL')).toEqual(['Customer 5']);
    expect(await q('%')).toEqual([]);
    expect(await q('_')).toEqual([]);
    await t.ctx.db.kysely
      .updateTable('contacts')
      .set({ name: '50% off_club' })
      .where('name', '=', 'Customer 2')
      .execute();
    expect(await q('50% off_')).toEqual(['50% off_club']);
    expect(await q('nobody')).toEqual([]);
  });

  it('shows a contact with its channel identities', async () => {
    const { contactId, channelId } = await inboundContact('cust-42', {
      name: 'Мария',
      phone: '+79990001122',
    });
    const res = await t.as(t.admin, 'GET', `/api/v1/contacts/${contactId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: contactId,
      name: 'Мария',
      phone: '+79990001122',
      email: null,
      attributes: {},
      identities: [{ channel: { id: channelId, type: 'api', name: 'Shop cust-42' }, externalId: 'cust-42' }],
    });
    const list = await t.as(t.admin, 'GET', '/api/v1/contacts?q=7999000112');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([contactId]);
    const missing = await t.as(t.admin, 'GET', '/api/v1/contacts/no-such-contact');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('lets any operator edit name, phone, e-mail and merge attributes, and emits contact.updated', async () => {
    const { contactId } = await inboundContact('cust-1', { name: 'Ivan', phone: '+100' });
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: 'operator password 1',
      role: 'operator',
    });
    const op = await t.login('op@example.com', 'operator password 1');
    const first = await t.as(op, 'PATCH', `/api/v1/contacts/${contactId}`, {
      name: 'Ivan Petrov',
      email: ' Ivan@Example.COM ',
      attributes: { plan: 'gold', orders: 3, vip: true },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      name: 'Ivan Petrov',
      phone: '+100',
      email: 'ivan@example.com',
      attributes: { plan: 'gold', orders: 3, vip: true },
    });
    t.clock.advance(1000);
    const second = await t.as(op, 'PATCH', `/api/v1/contacts/${contactId}`, {
      phone: null,
      attributes: { plan: null, city: 'Kazan' },
    });
    expect(second.json()).toMatchObject({ phone: null, attributes: { orders: 3, vip: true, city: 'Kazan' } });
    expect(second.json().attributes).not.toHaveProperty('plan');
    expect(second.json().updatedAt).toBe(t.clock.now());

    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .selectAll()
      .where('type', '=', 'contact.updated')
      .orderBy('seq')
      .execute();
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!.payload)).toMatchObject({ id: contactId, phone: null });

    for (const body of [{}, { email: 'not-mail' }, { attributes: { k: { nested: 1 } } }, { name: '' }]) {
      const res = await t.as(op, 'PATCH', `/api/v1/contacts/${contactId}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    const missing = await t.as(op, 'PATCH', '/api/v1/contacts/no-such-contact', { name: 'x' });
    expect(missing.statusCode).toBe(404);
  });
});
