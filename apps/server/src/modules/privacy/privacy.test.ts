import { createHash, randomBytes } from 'node:crypto';
import { contactExportSchema } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBuffer } from 'yauzl';
import { seedUser } from '../../../test/seed.ts';
import { type Session, type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { VISITOR_TOKEN_HEADER } from '../channels/widget/widget-access.ts';
import { VisitorClient, createWidgetChannel } from '../channels/widget/widget-test-kit.ts';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(2000),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every entry of a ZIP, read back with an independent reader. */
function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe.each(await testDialects())('Per-contact erasure and export (%s)', (dialect) => {
  let t: TestApp;
  let operator: Session;
  let channelId: string;
  let alice: { visitor: VisitorClient; contactId: string; conversationId: string };
  let bob: { visitor: VisitorClient; contactId: string; conversationId: string };
  const keys: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    operator = await t.login('op@example.com', 'operator-password');
    channelId = (await createWidgetChannel(t)).id;

    async function customer(name: string, text: string, file?: Buffer) {
      const visitor = new VisitorClient(t, channelId);
      await visitor.session({ name });
      const attachments: string[] = [];
      if (file) {
        const up = await visitor.request('POST', '/uploads', file, {
          'content-type': 'application/pdf',
          'x-file-name': 'passport.pdf',
          [VISITOR_TOKEN_HEADER]: visitor.token,
        });
        expect(up.statusCode, up.body).toBe(201);
        attachments.push(up.json().token);
      }
      const sent = await visitor.send(randomBytes(6).toString('hex'), text, { attachments });
      expect(sent.statusCode, sent.body).toBe(202);
      await t.drainJobs();
      const conv = (await t.as(t.admin, 'GET', `/api/v1/conversations?channel=${channelId}`))
        .json()
        .items.find((c: { contact: { name: string } }) => c.contact.name === name);
      return { visitor, contactId: conv.contact.id as string, conversationId: conv.id as string };
    }
    alice = await customer('Alice Zephyrine', 'my flamingo order number is 4711', PDF);
    bob = await customer('Bob Control', 'my flamingo arrived broken');

    // The operator answers Alice with a picture, a colleague leaves a note, a label and a consent.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'label.png');
    const body = new Response(form);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        cookie: t.admin.cookie,
        'x-csrf-token': t.admin.csrf,
        'content-type': body.headers.get('content-type')!,
      },
      payload: Buffer.from(await body.arrayBuffer()),
    });
    expect(up.statusCode, up.body).toBe(201);
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${alice.conversationId}/messages`, {
      clientMessageId: 'reply-with-label',
      text: 'here is your return label',
      attachments: [{ uploadId: up.json().id }],
    });
    expect(reply.statusCode, reply.body).toBe(202);
    await t.drainJobs();
    expect(
      (
        await t.as(t.admin, 'POST', `/api/v1/contacts/${alice.contactId}/notes`, {
          text: 'VIP, prefers e-mail',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await t.as(t.admin, 'POST', `/api/v1/contacts/${alice.contactId}/labels`, { label: 'vip' }))
        .statusCode,
    ).toBeLessThan(300);
    const consent = await t.as(t.admin, 'PUT', `/api/v1/contacts/${alice.contactId}/consent`, {
      optIn: false,
      source: 'asked by phone',
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const stored = await t.ctx.db.kysely
      .selectFrom('attachments')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select('attachments.storage_key')
      .where('messages.conversation_id', '=', alice.conversationId)
      .execute();
    keys.push(...stored.map((s) => s.storage_key!));
    expect(keys).toHaveLength(2);
  });
  afterAll(async () => t?.close());

  it('exports everything about the contact as a ZIP: JSON document plus the files', async () => {
    expect((await t.as(operator, 'GET', `/api/v1/contacts/${alice.contactId}/export`)).statusCode).toBe(403);
    const res = await t.as(t.admin, 'GET', `/api/v1/contacts/${alice.contactId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`contact-${alice.contactId}.zip`);
    const entries = await unzip(res.rawPayload);
    const doc = contactExportSchema.parse(JSON.parse(entries.get('contact.json')!.toString('utf8')));
    expect(doc.contact).toMatchObject({ id: alice.contactId, name: 'Alice Zephyrine', labels: ['vip'] });
    expect(doc.identities).toEqual([
      expect.objectContaining({ channelId, channelType: 'widget', externalId: alice.visitor.visitorId }),
    ]);
    expect(doc.notes.map((n) => n.text)).toEqual(['VIP, prefers e-mail']);
    expect(doc.consents).toEqual([
      expect.objectContaining({ status: 'opted_out', opt_out_source: 'asked by phone' }),
    ]);
    expect(doc.conversations).toHaveLength(1);
    const msgs = doc.conversations[0]!.messages;
    expect(msgs.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'my flamingo order number is 4711'],
      ['out', 'here is your return label'],
    ]);
    const files = msgs.flatMap((m) => m.attachments);
    expect(files.map((f) => f.mimeType).sort()).toEqual(['application/pdf', 'image/png']);
    for (const f of files) {
      const bytes = entries.get(f.file!);
      expect(bytes, f.file!).toBeDefined();
      expect(sha(bytes!)).toBe(f.sha256 ?? sha(bytes!));
    }
    expect(entries.get(files.find((f) => f.mimeType === 'application/pdf')!.file!)!.equals(PDF)).toBe(true);
    expect(entries.get(files.find((f) => f.mimeType === 'image/png')!.file!)!.equals(PNG)).toBe(true);
    // Nothing about Bob.
    expect(entries.get('contact.json')!.toString('utf8')).not.toContain('Bob Control');
    const audit = (await t.as(t.admin, 'GET', '/api/v1/audit-log')).json().items;
    expect(audit.some((e: { action: string }) => e.action === 'contact.exported')).toBe(true);
  });

  it('documents both routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/contacts/{id}/export'].get.summary).toMatch(/ZIP/);
    const erase = doc.paths['/api/v1/contacts/{id}'].delete;
    expect(erase.parameters).toContainEqual(
      expect.objectContaining({ name: 'erase', in: 'query', required: true }),
    );
    expect(Object.keys(erase.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['erased', 'alreadyErased', 'conversations', 'messages', 'files']),
    );
  });

  it('erases the contact with every row, file and search hit; audited; idempotent; admins only', async () => {
    const search = async () =>
      (await t.as(t.admin, 'GET', '/api/v1/search?q=flamingo')).json().items as {
        conversationId?: string;
      }[];
    expect((await search()).length).toBe(2);
    const url = `/api/v1/contacts/${alice.contactId}`;
    expect((await t.as(operator, 'DELETE', `${url}?erase=true`)).statusCode).toBe(403);
    expect((await t.as(t.admin, 'DELETE', url)).statusCode).toBe(400);
    // Another account's admin cannot reach it.
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Other',
      email: 'other-admin@example.com',
      password: 'other-admin-password',
      name: 'Other',
    });
    void other;
    const otherAdmin = await t.login('other-admin@example.com', 'other-admin-password');
    expect((await t.as(otherAdmin, 'DELETE', `${url}?erase=true`)).statusCode).toBe(404);

    const res = await t.as(t.admin, 'DELETE', `${url}?erase=true`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      contactId: alice.contactId,
      erased: true,
      alreadyErased: false,
      conversations: 1,
      messages: 2,
      files: 2,
    });
    await t.drainJobs();

    const k = t.ctx.db.kysely;
    const count = async (
      table:
        | 'contacts'
        | 'contact_identities'
        | 'contact_notes'
        | 'contact_labels'
        | 'contact_consents'
        | 'conversations',
      col: 'id' | 'contact_id',
      id: string,
    ) => (await k.selectFrom(table).select(col).where(col, '=', id).execute()).length;
    expect(await count('contacts', 'id', alice.contactId)).toBe(0);
    for (const table of [
      'contact_identities',
      'contact_notes',
      'contact_labels',
      'contact_consents',
      'conversations',
    ] as const)
      expect(await count(table, 'contact_id', alice.contactId), table).toBe(0);
    expect(
      await k
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', alice.conversationId)
        .execute(),
    ).toEqual([]);
    expect(
      await k.selectFrom('search_docs').select('ref_id').where('contact_id', '=', alice.contactId).execute(),
    ).toEqual([]);
    for (const key of keys) {
      expect(await t.ctx.files.exists(key)).toBe(false);
      expect(await k.selectFrom('attachments').select('id').where('storage_key', '=', key).execute()).toEqual(
        [],
      );
      expect(
        await k.selectFrom('widget_uploads').select('id').where('storage_key', '=', key).execute(),
      ).toEqual([]);
      expect(await k.selectFrom('uploads').select('id').where('storage_key', '=', key).execute()).toEqual([]);
    }
    const hits = await search();
    expect(hits.map((h) => h.conversationId)).toEqual([bob.conversationId]);
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${alice.contactId}`)).statusCode).toBe(404);
    expect((await t.as(t.admin, 'GET', `/api/v1/conversations/${alice.conversationId}`)).statusCode).toBe(
      404,
    );

    // Bob is untouched.
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${bob.contactId}`)).statusCode).toBe(200);
    expect(
      (await t.as(t.admin, 'GET', `/api/v1/conversations/${bob.conversationId}/messages`)).json().items,
    ).toHaveLength(1);

    const audit = (await t.as(t.admin, 'GET', '/api/v1/audit-log')).json().items;
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'contact.erased', targetId: alice.contactId }),
    );
    // Open consoles hear of it through the event log, which gets ids only.
    const events = await k
      .selectFrom('account_events')
      .select(['payload', 'team_id'])
      .where('account_id', '=', t.admin.accountId)
      .where('type', '=', 'contact.erased')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      { contactId: alice.contactId, conversationIds: [alice.conversationId] },
    ]);
    expect(events[0]!.team_id).toBeNull();

    const again = await t.as(t.admin, 'DELETE', `${url}?erase=true`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyErased: true, conversations: 0, messages: 0, files: 0 });
    expect((await t.as(t.admin, 'DELETE', '/api/v1/contacts/no-such-contact?erase=true')).statusCode).toBe(
      404,
    );

    // The same visitor writing again is a new, empty contact.
    const back = await alice.visitor.send('after-erasure-1', 'hello again');
    expect(back.statusCode).toBe(202);
    await t.drainJobs();
    expect((await alice.visitor.messages()).items.map((m) => m.text)).toEqual(['hello again']);
  });
});
