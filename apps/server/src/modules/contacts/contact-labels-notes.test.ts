import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedUser } from '../../../test/seed.ts';
import { SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

describe.each(dialects)('contact labels and notes (%s)', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  const probes: SocketProbe[] = [];
  let contactIds: string[];
  let bob: Session;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    server = await serveWithGateway(t);
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 3);
    const rows = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select(['id', 'contact_id'])
      .where('id', 'in', conversationIds)
      .execute();
    contactIds = conversationIds.map((id) => rows.find((r) => r.id === id)!.contact_id);
    await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    bob = await t.login('bob@example.com', 'operator-password');
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    await server.close();
    await t.close();
  });

  const auditActions = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'user_id', 'target_id', 'details'])
        .where('action', 'like', 'contact%')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((r) => ({ ...r, details: JSON.parse(r.details) }));

  it('adds and removes labels (idempotently), filters and suggests by them, audits and announces', async () => {
    const [c1, c2, c3] = contactIds as [string, string, string];
    const watcher = await SocketProbe.connect(server.url, { cookie: t.admin.cookie });
    probes.push(watcher);

    const add = async (s: Session, id: string, label: string) => {
      const res = await t.as(s, 'POST', `/api/v1/contacts/${id}/labels`, { label });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect((await add(bob, c1, '  VIP-клиент ')).labels).toEqual(['VIP-клиент']);
    expect((await add(bob, c1, 'wholesale')).labels).toEqual(['VIP-клиент', 'wholesale']);
    // The same label again changes nothing (and is not audited or announced twice).
    expect((await add(t.admin, c1, 'wholesale')).labels).toEqual(['VIP-клиент', 'wholesale']);
    await add(t.admin, c2, 'VIP-клиент');
    await add(t.admin, c3, 'a/b label');

    const updated = await watcher.waitForEvent(
      (e) => e.type === 'contact.updated' && (e.payload as { id: string }).id === c3,
    );
    expect((updated.payload as { labels: string[] }).labels).toEqual(['a/b label']);
    expect(watcher.events.filter((e) => e.type === 'contact.updated')).toHaveLength(4);

    // Shown on the contact, filterable in the list.
    expect((await t.as(bob, 'GET', `/api/v1/contacts/${c1}`)).json().labels).toEqual([
      'VIP-клиент',
      'wholesale',
    ]);
    const vip = (await t.as(bob, 'GET', `/api/v1/contacts?label=${encodeURIComponent('VIP-клиент')}`)).json();
    expect(vip.items.map((c: { id: string }) => c.id).sort()).toEqual([c1, c2].sort());
    const none = (await t.as(bob, 'GET', '/api/v1/contacts?label=vip')).json();
    expect(none.items).toEqual([]);

    // Suggestions: any case, any part, most used first (Cyrillic folded the same on both dialects).
    const suggest = async (q: string) =>
      (await t.as(bob, 'GET', `/api/v1/contacts/labels?q=${encodeURIComponent(q)}`)).json().items;
    expect(await suggest('')).toEqual([
      { label: 'VIP-клиент', count: 2 },
      { label: 'a/b label', count: 1 },
      { label: 'wholesale', count: 1 },
    ]);
    expect(await suggest('КЛИЕ')).toEqual([{ label: 'VIP-клиент', count: 2 }]);
    expect(await suggest('WHOLE')).toEqual([{ label: 'wholesale', count: 1 }]);

    // Removing: URL-encoded (a slash too); removing a missing label is a no-op.
    const removed = await t.as(
      bob,
      'DELETE',
      `/api/v1/contacts/${c3}/labels/${encodeURIComponent('a/b label')}`,
    );
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().labels).toEqual([]);
    const again = await t.as(
      bob,
      'DELETE',
      `/api/v1/contacts/${c3}/labels/${encodeURIComponent('a/b label')}`,
    );
    expect(again.statusCode).toBe(200);

    const audits = await auditActions();
    expect(audits.map((a) => [a.action, a.details.label])).toEqual([
      ['contact.label_added', 'VIP-клиент'],
      ['contact.label_added', 'wholesale'],
      ['contact.label_added', 'VIP-клиент'],
      ['contact.label_added', 'a/b label'],
      ['contact.label_removed', 'a/b label'],
    ]);
    expect(audits[0]).toMatchObject({ user_id: bob.userId, target_id: c1 });

    // Bad input answers with a code, never a 500.
    const empty = await t.as(bob, 'POST', `/api/v1/contacts/${c1}/labels`, { label: '   ' });
    expect(empty.statusCode).toBe(400);
    const long = await t.as(bob, 'POST', `/api/v1/contacts/${c1}/labels`, { label: 'x'.repeat(65) });
    expect(long.statusCode).toBe(400);
    const missing = await t.as(bob, 'POST', '/api/v1/contacts/nope/labels', { label: 'x' });
    expect(missing.statusCode).toBe(404);
  });

  it('keeps notes with author and time; only the author or an admin edits or deletes', async () => {
    const c1 = contactIds[0]!;
    await seedUser(t.ctx, t.admin.accountId, 'carol@example.com', 'supervisor');
    const carol = await t.login('carol@example.com', 'operator-password');
    const watcher = await SocketProbe.connect(server.url, { cookie: carol.cookie });
    probes.push(watcher);

    const created = await t.as(bob, 'POST', `/api/v1/contacts/${c1}/notes`, {
      text: 'Prefers calls after 6 pm <b>not bold</b>',
    });
    expect(created.statusCode, created.body).toBe(201);
    const note = created.json();
    expect(note).toMatchObject({
      contactId: c1,
      text: 'Prefers calls after 6 pm <b>not bold</b>',
      author: { id: bob.userId, name: 'bob' },
    });
    expect(note.updatedAt).toBe(note.createdAt);
    const second = (await t.as(t.admin, 'POST', `/api/v1/contacts/${c1}/notes`, { text: 'Second' })).json();
    const list = (await t.as(carol, 'GET', `/api/v1/contacts/${c1}/notes`)).json();
    expect(list.items.map((n: { id: string }) => n.id)).toEqual([second.id, note.id]);
    const paged = (await t.as(carol, 'GET', `/api/v1/contacts/${c1}/notes?limit=1`)).json();
    expect(paged.items).toHaveLength(1);
    const rest = (
      await t.as(carol, 'GET', `/api/v1/contacts/${c1}/notes?limit=1&cursor=${paged.nextCursor}`)
    ).json();
    expect(rest.items.map((n: { id: string }) => n.id)).toEqual([note.id]);
    expect(rest.nextCursor).toBeNull();

    // A supervisor who is not the author may not change it; the author and an admin may.
    const url = `/api/v1/contacts/${c1}/notes/${note.id}`;
    const notYours = await t.as(carol, 'PATCH', url, { text: 'hijack' });
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().error.code).toBe('forbidden');
    expect((await t.as(carol, 'DELETE', url)).statusCode).toBe(403);
    const edited = await t.as(bob, 'PATCH', url, { text: 'Prefers calls after 7 pm' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().text).toBe('Prefers calls after 7 pm');
    expect(edited.json().updatedAt).toBeGreaterThan(note.createdAt);
    const byAdmin = await t.as(t.admin, 'PATCH', url, { text: 'Call after 7 pm' });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json().author.id).toBe(bob.userId);

    // Everyone's console hears of each change.
    await watcher.waitForEvent(
      (e) => e.type === 'contact_note.updated' && (e.payload as { text: string }).text === 'Call after 7 pm',
    );
    expect((await t.as(bob, 'DELETE', url)).statusCode).toBe(204);
    const gone = await watcher.waitForEvent((e) => e.type === 'contact_note.deleted');
    expect(gone.payload).toEqual({ id: note.id, contactId: c1 });
    expect(watcher.events.filter((e) => e.type === 'contact_note.created')).toHaveLength(2);
    expect((await t.as(bob, 'PATCH', url, { text: 'x' })).statusCode).toBe(404);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/contacts/${c1}/notes/${second.id}`)).statusCode).toBe(204);

    const audits = await auditActions();
    expect(audits.map((a) => [a.action, a.user_id])).toEqual([
      ['contact_note.created', bob.userId],
      ['contact_note.created', t.admin.userId],
      ['contact_note.updated', bob.userId],
      ['contact_note.updated', t.admin.userId],
      ['contact_note.deleted', bob.userId],
      ['contact_note.deleted', t.admin.userId],
    ]);
    // The audit trail keeps no copy of the text (deleting a note must really remove it).
    expect(JSON.stringify(audits)).not.toContain('7 pm');

    const blank = await t.as(bob, 'POST', `/api/v1/contacts/${c1}/notes`, { text: ' ' });
    expect(blank.statusCode).toBe(400);
    const tooLong = await t.as(bob, 'POST', `/api/v1/contacts/${c1}/notes`, { text: 'x'.repeat(5001) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('answers 404 for another account’s contact and notes, and lists none of its labels', async () => {
    const c1 = contactIds[0]!;
    await t.as(t.admin, 'POST', `/api/v1/contacts/${c1}/labels`, { label: 'secret-label' });
    const note = (await t.as(t.admin, 'POST', `/api/v1/contacts/${c1}/notes`, { text: 'private' })).json();
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const globex = await t.login('root@globex.test', 'globex password');
    const attempts: [string, string, unknown?][] = [
      ['POST', `/api/v1/contacts/${c1}/labels`, { label: 'x' }],
      ['DELETE', `/api/v1/contacts/${c1}/labels/secret-label`],
      ['GET', `/api/v1/contacts/${c1}/notes`],
      ['POST', `/api/v1/contacts/${c1}/notes`, { text: 'x' }],
      ['PATCH', `/api/v1/contacts/${c1}/notes/${note.id}`, { text: 'x' }],
      ['DELETE', `/api/v1/contacts/${c1}/notes/${note.id}`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.as(globex, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await t.as(globex, 'GET', '/api/v1/contacts/labels')).json().items).toEqual([]);
    expect((await t.as(globex, 'GET', '/api/v1/contacts?label=secret-label')).json().items).toEqual([]);
    // Untouched.
    const mine = (await t.as(t.admin, 'GET', `/api/v1/contacts/${c1}`)).json();
    expect(mine.labels).toEqual(['secret-label']);
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${c1}/notes`)).json().items).toHaveLength(1);
  });
});
