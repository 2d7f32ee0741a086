import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { seedUser } from '../../../test/seed.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { conversationOf, createApiChannel, postInbound } from '../routing/routing-test-kit.ts';

import { T0, importKit } from './contact-import-kit.ts';

describe.each(await testDialects())('contact import (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callbacks.url }) });
  const callbacks = useCallbackServer();

  const { csv, json, contacts, byName, consentOf } = importKit(t);

  it('imports a semicolon CSV with a BOM and Cyrillic names; labels, opt-in with its source, audit, events', async () => {
    const file =
      '\uFEFFИмя;Телефон;E-mail;externalId;Метки;optIn;Заметка\r\n' +
      'Иван Петров;+7 900 000-00-01;IVAN@example.com;crm-1;VIP|Опт;;любит звонки\r\n' +
      '"Мария ""Маша"" Соколова";;maria@example.com;crm-2;Опт;нет;\r\n' +
      'Ada Lovelace;;;crm-3;;;\r\n';
    const res = await csv(
      t.admin,
      Buffer.from(file, 'utf8'),
      `source=${encodeURIComponent('CRM export 2026-11')}&optIn=true&channelId=${t.channel.id}`,
    );
    expect(res.statusCode, res.body).toBe(202);
    const r = res.json();
    expect(r).toMatchObject({
      total: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      errors: [],
      warnings: [],
      ignoredColumns: ['Заметка'],
    });

    const ivan = (await byName('Иван Петров'))!;
    expect(ivan).toMatchObject({
      phone: '+7 900 000-00-01',
      email: 'ivan@example.com',
      identities: [{ channel: { id: t.channel.id }, externalId: 'crm-1' }],
      labels: ['Опт', 'VIP'].sort(),
      consent: [{ scope: 'api', status: 'opted_in' }],
    });
    expect(await consentOf(ivan.id)).toEqual([
      expect.objectContaining({
        scope: 'api',
        status: 'opted_in',
        optInVia: 'import',
        optInSource: 'CRM export 2026-11',
        optedInAt: T0,
      }),
    ]);
    const maria = (await byName('Мария "Маша" Соколова'))!;
    expect(maria.consent).toEqual([{ scope: 'api', status: 'opted_out' }]);
    expect((await byName('Ada Lovelace'))!.consent).toEqual([{ scope: 'api', status: 'opted_in' }]);
    // The contact list's label filter and search find them.
    expect(
      (await contacts(t.admin, `&label=${encodeURIComponent('Опт')}`)).map((c) => c.name).sort(),
    ).toEqual(['Иван Петров', 'Мария "Маша" Соколова'].sort());
    expect((await contacts(t.admin, '&q=lovelace')).map((c) => c.name)).toEqual(['Ada Lovelace']);
    // Any case in any alphabet, on SQLite too (whose own lower() folds ASCII only).
    for (const q of ['соколова', 'СОКОЛОВА', 'Маша'])
      expect((await contacts(t.admin, `&q=${encodeURIComponent(q)}`)).map((c) => c.name)).toEqual([
        'Мария "Маша" Соколова',
      ]);

    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id', 'target_id', 'details'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const imported = audit.find((a) => a.action === 'contacts.imported')!;
    expect(imported).toMatchObject({ user_id: t.admin.userId, target_id: r.id });
    expect(JSON.parse(imported.details)).toMatchObject({
      source: 'CRM export 2026-11',
      format: 'csv',
      optIn: true,
      created: 3,
      skipped: 0,
    });
    const consentAudit = audit.filter((a) => a.target_id === ivan.id);
    expect(consentAudit.map((a) => a.action)).toEqual(['contact.opted_in']);
    expect(JSON.parse(consentAudit[0]!.details)).toMatchObject({ via: 'import', importId: r.id });

    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('account_id', '=', t.admin.accountId)
      .where('type', 'like', 'contact.%')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['contact.created', 'contact.created', 'contact.created']);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({
      id: expect.any(String),
      labels: expect.any(Array),
    });
  });

  it('upserts by channel identity: a customer who wrote first, and the same file twice, make no duplicates', async () => {
    await postInbound(t, t.channel, 'crm-1', 'Hello');
    await t.drainJobs();
    const before = await contacts();
    expect(before.map((c) => c.name)).toEqual(['Customer crm-1']);
    const file = 'externalId,name,email,labels\ncrm-1,Иван Петров,ivan@example.com,VIP\ncrm-2,Ольга,,\n';
    const first = await csv(t.admin, file, `source=crm&channelId=${t.channel.id}`);
    expect(first.json()).toMatchObject({ created: 1, updated: 1, unchanged: 0, skipped: 0 });
    const again = await csv(t.admin, file, `source=crm&channelId=${t.channel.id}`);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2, skipped: 0 });
    // An empty cell leaves what is known; a new value replaces it.
    const third = await csv(
      t.admin,
      'externalId,name,email\ncrm-1,,ivan.p@example.com\n',
      `source=crm&channelId=${t.channel.id}`,
    );
    expect(third.json()).toMatchObject({ created: 0, updated: 1 });

    const all = await contacts();
    expect(all).toHaveLength(2);
    const ivan = all.find((c) => c.id === before[0]!.id)!;
    expect(ivan).toMatchObject({ name: 'Иван Петров', email: 'ivan.p@example.com', labels: ['VIP'] });
    // The customer's conversation is theirs still.
    const conv = await conversationOf(t, 'crm-1');
    expect((conv.contact as { id: string; name: string }).name).toBe('Иван Петров');
    // Without optIn nothing about consent was recorded.
    expect(ivan.consent).toEqual([]);
  });

  it('skips bad rows and repeats with their row numbers and imports the rest', async () => {
    const other = await createApiChannel(t, { name: 'Other' });
    const file = [
      'name,email,channelId,externalId,labels,optIn',
      'Good One,one@example.com,,g-1,,',
      'Bad Mail,not-an-email,,g-2,,',
      '',
      'Repeat,,,g-1,,',
      'Elsewhere,,' + other.id + ',g-1,,',
      'No Address,,,,,',
      'Wrong Channel,,nope,g-4,,',
      'Odd OptIn,,,g-5,,perhaps',
      '"Long, Label",,,g-6,' + 'x'.repeat(65) + ',',
    ].join('\n');
    const res = await csv(t.admin, file, `source=crm&channelId=${t.channel.id}`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({
      total: 8,
      created: 2,
      skipped: 6,
      errors: [
        { row: 3, message: 'email: "not-an-email" is not an e-mail address' },
        {
          row: 5,
          message: 'externalId: "g-1" is already in row 2 (same channel); one row per customer address',
          issues: [{ field: 'externalId', code: 'duplicate', value: 'g-1', firstRow: 2 }],
        },
        { row: 7, message: 'externalId: missing' },
        {
          row: 8,
          message: 'channelId: no channel "nope" in this account',
          issues: [{ field: 'channelId', code: 'unknown_channel', value: 'nope' }],
        },
        { row: 9, message: 'optIn: "perhaps" is not true or false' },
        { row: 10, message: 'labels: each at most 64 characters' },
      ],
    });
    expect((await contacts()).map((c) => c.name).sort()).toEqual(['Elsewhere', 'Good One']);
  });

  it('JSON: per-item errors by position, numbers as Telegram-style ids, labels as a list', async () => {
    const res = await json(t.admin, {
      source: 'shop signups',
      channelId: t.channel.id,
      optIn: true,
      contacts: [
        { name: 'Ann', externalId: 1001, labels: ['signup', 'newsletter'] },
        { name: 42, externalId: 'x' },
        { name: 'Bo', externalId: 'b-1', optIn: false, extra: true },
        { name: 'Cy', externalId: 'c-1', optIn: false },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      total: 4,
      created: 2,
      skipped: 2,
      errors: [
        { row: 2, message: expect.stringMatching(/^name: /) },
        { row: 3, message: expect.stringMatching(/extra/) },
      ],
    });
    const ann = (await byName('Ann'))!;
    expect(ann).toMatchObject({
      identities: [{ externalId: '1001' }],
      labels: ['newsletter', 'signup'],
      consent: [{ scope: 'api', status: 'opted_in' }],
    });
    expect((await byName('Cy'))!.consent).toEqual([{ scope: 'api', status: 'opted_out' }]);
  });

  it('multipart upload with the options as form fields', async () => {
    const boundary = '----sb-test';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="source"',
      '',
      'Выгрузка из CRM',
      `--${boundary}`,
      'Content-Disposition: form-data; name="channelId"',
      '',
      t.channel.id,
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="contacts.csv"',
      'Content-Type: text/csv',
      '',
      'name;externalId\nБорис;m-1\n',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await csv(t.admin, Buffer.from(body), '', `multipart/form-data; boundary=${boundary}`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ created: 1, skipped: 0 });
    expect((await contacts()).map((c) => c.name)).toEqual(['Борис']);
  });

  it('refuses operators, a missing source, bad files and too many rows with stable errors', async () => {
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const q = `source=crm&channelId=${t.channel.id}`;
    expect((await csv(op, 'externalId\na\n', q)).json().error.code).toBe('forbidden');
    const noSource = await csv(t.admin, 'externalId\na\n', `channelId=${t.channel.id}`);
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json().error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^querystring\.source/),
    });
    const cp1251 = await csv(
      t.admin,
      Buffer.from([0x65, 0x78, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x49, 0x64, 0x0a, 0xc8, 0xe2]),
      q,
    );
    // Refused while the request waits: the header check decodes the file's first chunk.
    expect(cp1251.statusCode).toBe(400);
    expect(cp1251.json().error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/UTF-8/),
    });
    const noKey = await csv(t.admin, 'name,email\nAda,a@example.com\n', q);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.message).toMatch(/externalId column/);
    const nothing = await csv(t.admin, '', q);
    expect(nothing.json().error.message).toMatch(/empty/);
    const empty = await csv(t.admin, 'externalId\n', q);
    expect(empty.json()).toMatchObject({ status: 'failed', failure: expect.stringMatching(/no rows/) });
    const unclosed = await csv(t.admin, 'externalId\n"a\n', q);
    expect(unclosed.json()).toMatchObject({
      status: 'failed',
      failure: 'Row 2: a quoted cell is not closed',
    });
    const badMapping = await csv(
      t.admin,
      'externalId\na\n',
      `${q}&mapping=${encodeURIComponent('{"x":"nope"}')}`,
    );
    expect(badMapping.json().error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^querystring\.mapping/),
    });
    const many = await json(t.admin, {
      source: 'x',
      channelId: t.channel.id,
      contacts: Array.from({ length: 10_001 }, (_, i) => ({ externalId: `c${i}` })),
    });
    expect(many.statusCode).toBe(400);
    const xml = await csv(t.admin, '<a/>', q, 'application/xml');
    expect(xml.statusCode).toBe(415);
    const badJson = await json(t.admin, { source: 'x', contacts: 'no' });
    expect(badJson.json().error.message).toMatch(/^body\.contacts/);
    const unknownChannel = await csv(t.admin, 'externalId\na\n', 'source=crm&channelId=nope');
    expect(unknownChannel.statusCode).toBe(404);
    expect(await contacts()).toEqual([]);
  });

  it('is documented in OpenAPI: the three body types, the options, the result', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/contacts/import'].post;
    expect(Object.keys(op.requestBody.content).sort()).toEqual(
      [
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'multipart/form-data',
        'text/csv',
      ].sort(),
    );
    expect(op.description).toMatch(/semicolon/);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '202']));
    expect(doc.paths['/api/v1/contacts/imports/{id}'].get).toBeDefined();
    expect(doc.paths['/api/v1/contacts/imports/{id}/errors'].get).toBeDefined();
    expect(doc.paths['/api/v1/contacts/import/preview'].post).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual([
      'source',
      'optIn',
      'channelId',
      'mapping',
    ]);
    const contactItem = op.requestBody.content['application/json'].schema.properties.contacts.items;
    expect(Object.keys(contactItem.properties)).toEqual([
      'name',
      'phone',
      'email',
      'channelId',
      'externalId',
      'labels',
      'optIn',
    ]);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toContain(
      'errors',
    );
  });
});
