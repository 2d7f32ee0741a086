import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { createApiChannel, postInbound } from '../../routing/routing-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('contact merge (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  /** Anna on two channels: two contacts, each with a conversation, label, note, attribute and consent. */
  async function twoAnnas() {
    const shop = await createApiChannel(t, { name: 'Shop' });
    const app = await createApiChannel(t, { name: 'App' });
    await postInbound(t, shop, 'anna-shop', 'order 1 please');
    await postInbound(t, app, 'anna-app', 'где мой заказ');
    await t.drainJobs();
    const contactOf = async (channelId: string) =>
      (
        await t.ctx.db.kysely
          .selectFrom('contact_identities')
          .select('contact_id')
          .where('channel_id', '=', channelId)
          .executeTakeFirstOrThrow()
      ).contact_id;
    const keep = await contactOf(shop.id);
    const other = await contactOf(app.id);
    const patch = async (id: string, body: unknown) =>
      expect((await t.as(t.admin, 'PATCH', `/api/v1/contacts/${id}`, body)).statusCode).toBe(200);
    await patch(keep, { name: 'Anna', phone: null, attributes: { plan: 'gold' } });
    await patch(other, {
      name: 'Anna K',
      phone: '+79990001122',
      attributes: { plan: 'silver', city: 'Kazan' },
    });
    await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/labels`, { label: 'vip' });
    await t.as(t.admin, 'POST', `/api/v1/contacts/${other}/labels`, { label: 'wholesale' });
    await t.as(t.admin, 'POST', `/api/v1/contacts/${other}/notes`, { text: 'prefers calls' });
    const consent = await t.as(t.admin, 'PUT', `/api/v1/contacts/${other}/consent`, {
      optIn: false,
      source: 'asked by phone',
      scope: 'api',
    });
    expect(consent.statusCode, consent.body).toBe(200);
    return { shop, app, keep, other };
  }

  it('previews by the documented rule, merges everything in one go, points the old id at the survivor, and undoes', async () => {
    const { shop, app, keep, other } = await twoAnnas();
    const pre = await t.as(t.admin, 'GET', `/api/v1/contacts/${keep}/merge-preview?otherContactId=${other}`);
    expect(pre.statusCode, pre.body).toBe(200);
    const preview = pre.json();
    expect(preview.rule).toMatch(/contact you keep wins/);
    expect(preview.fields).toEqual(
      expect.arrayContaining([
        { field: 'name', survivor: 'Anna', other: 'Anna K', result: 'Anna', conflict: true },
        { field: 'phone', survivor: null, other: '+79990001122', result: '+79990001122', conflict: false },
        { field: 'attributes.plan', survivor: 'gold', other: 'silver', result: 'gold', conflict: true },
        { field: 'attributes.city', survivor: null, other: 'Kazan', result: 'Kazan', conflict: false },
      ]),
    );
    expect(preview.consent).toEqual([
      { scope: 'api', survivor: null, other: 'opted_out', result: 'opted_out' },
    ]);
    expect(preview.moves).toEqual({ identities: 1, conversations: 1, notes: 1, labels: 1, consent: 1 });
    const samePost = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge/preview`, {
      otherContactId: other,
    });
    expect(samePost.json()).toEqual(preview);

    const res = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: other });
    expect(res.statusCode, res.body).toBe(200);
    const { merge, contact } = res.json();
    expect(contact).toMatchObject({
      id: keep,
      name: 'Anna',
      phone: '+79990001122',
      attributes: { plan: 'gold', city: 'Kazan' },
      labels: ['vip', 'wholesale'],
      consent: [{ scope: 'api', status: 'opted_out' }],
    });
    expect(contact.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual([
      'anna-app',
      'anna-shop',
    ]);
    expect(merge).toMatchObject({ survivorId: keep, mergedId: other, via: 'manual', undoneAt: null });
    expect(merge.undoUntil).toBe(t.clock.now() + 86_400_000);

    const convs = await t.ctx.db.kysely.selectFrom('conversations').select(['contact_id']).execute();
    expect(convs.map((c) => c.contact_id)).toEqual([keep, keep]);
    const authors = await t.ctx.db.kysely
      .selectFrom('messages')
      .select('author_id')
      .where('author_kind', '=', 'contact')
      .execute();
    expect(new Set(authors.map((a) => a.author_id))).toEqual(new Set([keep]));
    const notes = await t.as(t.admin, 'GET', `/api/v1/contacts/${keep}/notes`);
    expect(notes.json().items.map((n: { text: string }) => n.text)).toEqual(['prefers calls']);
    // Search finds the other's message under the survivor, and the other only as the survivor.
    const found = await t.as(t.admin, 'GET', `/api/v1/search?q=${encodeURIComponent('заказ')}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(JSON.stringify(found.json())).toContain(keep);
    expect(JSON.stringify(found.json())).not.toContain(other);
    const list = await t.as(t.admin, 'GET', '/api/v1/contacts');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([keep]);

    const gone = await t.as(t.admin, 'GET', `/api/v1/contacts/${other}`);
    expect(gone.statusCode).toBe(301);
    expect(gone.headers.location).toBe(`/api/v1/contacts/${keep}`);
    expect(gone.json()).toEqual({
      error: { code: 'contact_merged', message: expect.any(String) },
      mergedInto: keep,
    });
    const write = await t.as(t.admin, 'PATCH', `/api/v1/contacts/${other}`, { name: 'x' });
    expect(write.statusCode).toBe(409);
    expect(write.json().error).toMatchObject({ code: 'contact_merged', details: { mergedInto: keep } });

    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'contact.merged')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ mergeId: merge.id, mergedId: other });

    // After the merge the customer writes again on the other's channel: it lands on the survivor, and
    // the undo takes that conversation back with the identity.
    await postInbound(t, app, 'anna-app', 'still there?');
    await postInbound(t, shop, 'anna-shop', 'and here');
    await t.drainJobs();
    t.clock.advance(60_000);
    const history = await t.as(t.admin, 'GET', `/api/v1/contacts/${keep}/merges`);
    expect(history.json().items.map((m: { id: string }) => m.id)).toEqual([merge.id]);
    const undo = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/unmerge`, { mergeId: merge.id });
    expect(undo.statusCode, undo.body).toBe(200);
    const { contact: kept, restored } = undo.json();
    expect(kept).toMatchObject({
      id: keep,
      phone: null,
      attributes: { plan: 'gold' },
      labels: ['vip'],
      consent: [],
    });
    expect(restored).toMatchObject({
      id: other,
      name: 'Anna K',
      labels: ['wholesale'],
      consent: [{ scope: 'api', status: 'opted_out' }],
      identities: [{ externalId: 'anna-app' }],
    });
    const byContact = await t.ctx.db.kysely
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.contact_id', 'm.body', 'm.author_id'])
      .where('m.author_kind', '=', 'contact')
      .orderBy('m.created_at')
      .execute();
    for (const m of byContact) expect(m.author_id).toBe(m.contact_id);
    expect(byContact.filter((m) => m.contact_id === other).map((m) => m.body)).toEqual([
      'где мой заказ',
      'still there?',
    ]);
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${other}`)).statusCode).toBe(200);
    const again = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/unmerge`, { mergeId: merge.id });
    expect(again.statusCode).toBe(409);
    const unmerged = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'contact.unmerged')
      .execute();
    expect(unmerged).toHaveLength(1);
  });

  it('refuses a merge with itself, by an operator, of an already merged contact, and an undo after a day', async () => {
    const { keep, other } = await twoAnnas();
    const self = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: keep });
    expect(self.statusCode).toBe(400);
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: 'operator password 1',
      role: 'operator',
    });
    const op = await t.login('op@example.com', 'operator password 1');
    const denied = await t.as(op, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: other });
    expect(denied.statusCode).toBe(403);
    const missing = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: 'nope' });
    expect(missing.statusCode).toBe(404);
    const ok = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: other });
    expect(ok.statusCode).toBe(200);
    const twice = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: other });
    expect(twice.statusCode).toBe(409);
    const intoMerged = await t.as(t.admin, 'POST', `/api/v1/contacts/${other}/merge`, {
      otherContactId: keep,
    });
    expect(intoMerged.json().error.code).toBe('contact_merged');
    t.clock.advance(86_400_001);
    const late = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/unmerge`, {
      mergeId: ok.json().merge.id,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/within a day/);
    // Erasing the kept contact takes the merged-away pointer and the merge record with it.
    const erased = await t.as(t.admin, 'DELETE', `/api/v1/contacts/${keep}?erase=true`);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await t.ctx.db.kysely.selectFrom('contacts').select('id').execute()).toEqual([]);
    expect(await t.ctx.db.kysely.selectFrom('contact_merges').select('id').execute()).toEqual([]);
  });
});
