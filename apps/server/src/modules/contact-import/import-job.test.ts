import ExcelJS from 'exceljs';
import { XLSX_TYPE } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { seedUser } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Contacts');
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('Notes').addRow(['not contacts']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function form(
  boundary: string,
  file: Buffer,
  fileName: string,
  type: string,
  fields: Record<string, string>,
) {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}

describe.each(await testDialects())('contact import job (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callbacks.url }) });
  const callbacks = useCallbackServer();

  const post = (s: Session, url: string, payload: Buffer | string, type: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': type },
      payload,
    });
  const status = async (id: string) => (await t.as(t.admin, 'GET', `/api/v1/contacts/imports/${id}`)).json();
  const errorsFile = (id: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/contacts/imports/${id}/errors`,
      headers: { cookie: t.admin.cookie },
    });
  const allContacts = async () =>
    t.ctx.db.kysely
      .selectFrom('contacts')
      .select(['name', 'phone', 'attributes'])
      .where('account_id', '=', t.admin.accountId)
      .orderBy('name')
      .execute();

  it('previews an XLSX body, then imports it with a mapping onto fields and an attribute (202, progress, errors file)', async () => {
    const file = await xlsx([
      ['Client', 'CRM id', 'Tier', 'Телефон', 'Comment'],
      ['Ada Lovelace', 'crm-1', 'gold', 15550001, 'first'],
      ['Борис', 'crm-2', 'silver', null, null],
      ['No id', null, 'gold', null, null],
      ['Repeat', 'crm-1', null, null, null],
    ]);
    const preview = await post(t.admin, '/api/v1/contacts/import/preview', file, XLSX_TYPE);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.format).toBe('xlsx');
    expect(p.columns).toEqual([
      { header: 'Client', target: null, samples: ['Ada Lovelace', 'Борис', 'No id', 'Repeat'] },
      { header: 'CRM id', target: null, samples: ['crm-1', 'crm-2', '', 'crm-1'] },
      { header: 'Tier', target: null, samples: ['gold', 'silver', 'gold', ''] },
      { header: 'Телефон', target: 'phone', samples: ['15550001', '', '', ''] },
      { header: 'Comment', target: null, samples: ['first', '', '', ''] },
    ]);
    expect(p.targets.map((x: { target: string }) => x.target)).toEqual([
      'name',
      'phone',
      'email',
      'channelId',
      'externalId',
      'labels',
      'optIn',
    ]);
    // Nothing was imported or left in the store by the preview.
    expect(await allContacts()).toEqual([]);

    const mapping = { Client: 'name', 'CRM id': 'externalId', Tier: 'attributes.tier', Телефон: null };
    const q = `source=crm&channelId=${t.channel.id}&mapping=${encodeURIComponent(JSON.stringify(mapping))}`;
    const res = await post(t.admin, `/api/v1/contacts/import?${q}`, file, XLSX_TYPE);
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json();
    expect(res.json()).toMatchObject({ status: 'queued', format: 'xlsx', total: null, processed: 0 });
    await t.drainJobs();
    expect(await status(id)).toMatchObject({
      status: 'done',
      total: 4,
      processed: 4,
      created: 2,
      updated: 0,
      skipped: 2,
      ignoredColumns: ['Телефон', 'Comment'],
      errors: [
        { row: 4, message: 'externalId: missing' },
        { row: 5, issues: [{ field: 'externalId', code: 'duplicate', firstRow: 2 }] },
      ],
      failure: null,
      finishedAt: T0,
    });
    const rows = await allContacts();
    expect(rows.map((r) => [r.name, r.phone, JSON.parse(r.attributes)])).toEqual([
      ['Ada Lovelace', null, { tier: 'gold' }],
      ['Борис', null, { tier: 'silver' }],
    ]);
    const errors = await errorsFile(id);
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toMatch(/^text\/csv/);
    expect(errors.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'row,kind,message',
      '4,error,externalId: missing',
      '5,error,"externalId: ""crm-1"" is already in row 2 (same channel); one row per customer address"',
      '',
    ]);
    // The attribute now exists on contacts, so the next preview offers it.
    const again = await post(t.admin, '/api/v1/contacts/import/preview', file, XLSX_TYPE);
    expect(again.json().targets.at(-1)).toEqual({
      target: 'attributes.tier',
      label: 'tier',
      kind: 'attribute',
    });
    // A second run changes one attribute and leaves the rest.
    const second = await xlsx([
      ['externalId', 'Tier'],
      ['crm-1', 'platinum'],
      ['crm-2', 'silver'],
    ]);
    const q2 = `source=crm&channelId=${t.channel.id}&mapping=${encodeURIComponent('{"Tier":"attributes.tier"}')}`;
    const res2 = await post(t.admin, `/api/v1/contacts/import?${q2}`, second, XLSX_TYPE);
    await t.drainJobs();
    expect(await status(res2.json().id)).toMatchObject({ status: 'done', updated: 1, unchanged: 1 });
    expect((await allContacts()).map((r) => JSON.parse(r.attributes))).toEqual([
      { tier: 'platinum' },
      { tier: 'silver' },
    ]);
  });

  it('a multipart XLSX of 1,200 rows goes in batches; a restarted job resumes after its last batch and still finds repeats', async () => {
    const rows: (string | number | null)[][] = [['name', 'externalId', 'labels']];
    for (let i = 1; i <= 1200; i++) rows.push([`Person ${i}`, `p-${i}`, i % 2 ? 'odd' : 'even']);
    rows[900] = ['Repeat of 2', 'p-2', null]; // spreadsheet row 901
    const boundary = '----sb-xlsx';
    const body = form(boundary, await xlsx(rows), 'contacts.xlsx', 'application/octet-stream', {
      source: 'CRM 2026-12',
      channelId: t.channel.id,
    });
    const res = await post(
      t.admin,
      '/api/v1/contacts/import',
      body,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json();
    // As if a worker wrote the first batch (500 rows) and died: the retry must start at row 502.
    await t.ctx.db.kysely
      .updateTable('contact_imports')
      .set({ total: 1200, processed: 500, created: 500 })
      .where('id', '=', id)
      .execute();
    await t.drainJobs();
    const done = await status(id);
    expect(done).toMatchObject({
      status: 'done',
      total: 1200,
      processed: 1200,
      created: 1199,
      skipped: 1,
      errors: [{ row: 901, issues: [{ code: 'duplicate', firstRow: 3 }] }],
    });
    const count = await t.ctx.db.kysely
      .selectFrom('contacts')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('account_id', '=', t.admin.accountId)
      .executeTakeFirstOrThrow();
    // Rows 2-501 were "written" by the lost worker (not really, here): only the other 699 are.
    expect(Number(count.n)).toBe(699);
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['user_id', 'details'])
      .where('action', '=', 'contacts.imported')
      .where('target_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(t.admin.userId);
    expect(JSON.parse(audit.details)).toMatchObject({ format: 'xlsx', total: 1200, created: 1199 });
  });

  it('refuses a file that is not XLSX, an unknown import, and other accounts and operators see nothing', async () => {
    const q = `source=crm&channelId=${t.channel.id}`;
    const bad = await post(t.admin, `/api/v1/contacts/import?${q}`, 'not a zip', XLSX_TYPE);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/XLSX/),
    });
    const unknown = await t.as(t.admin, 'GET', '/api/v1/contacts/imports/nope');
    expect(unknown.statusCode).toBe(404);
    const ok = await post(t.admin, `/api/v1/contacts/import?${q}`, 'externalId\na-1\n', 'text/csv');
    expect(ok.statusCode).toBe(202);
    await t.drainJobs();
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const seen = await t.as(op, 'GET', `/api/v1/contacts/imports/${ok.json().id}`);
    expect(seen.json().error.code).toBe('forbidden');
  });
  it('exports contacts with their attributes (the export pipeline, CSV) in a file the import reads back', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ Tier: 'attributes.tier' }));
    const q = `source=crm&channelId=${t.channel.id}&mapping=${mapping}`;
    const res = await post(
      t.admin,
      `/api/v1/contacts/import?${q}`,
      'externalId,name,labels,Tier\nx-1,Ada,VIP,gold\nx-2,Bo,,\n',
      'text/csv',
    );
    expect(res.statusCode, res.body).toBe(202);
    await t.drainJobs();
    const started = await t.as(t.admin, 'POST', '/api/v1/exports', { kind: 'contacts', format: 'csv' });
    expect(started.statusCode, started.body).toBe(202);
    await t.drainJobs();
    const done = (await t.as(t.admin, 'GET', `/api/v1/exports/${started.json().id}`)).json();
    expect(done).toMatchObject({ status: 'done', rowsDone: 2 });
    const file = await t.app.inject({
      method: 'GET',
      url: done.downloadUrl,
      headers: { cookie: t.admin.cookie },
    });
    const lines = file.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe(
      'Contact ID,name,phone,email,Identities,labels,Consent,Created,Updated,attributes.tier',
    );
    expect(lines.find((l) => l.includes('Ada'))).toMatch(/,Ada,,,Shop: x-1,VIP,,.*,gold$/);
    // The attribute column needs no mapping on the way back in.
    const preview = await post(t.admin, '/api/v1/contacts/import/preview', file.rawPayload, 'text/csv');
    expect(preview.json().columns.at(-1)).toMatchObject({
      header: 'attributes.tier',
      target: 'attributes.tier',
    });
    await seedUser(t.ctx, t.admin.accountId, 'op2@example.com', 'operator');
    const op = await t.login('op2@example.com', 'operator-password');
    expect(
      (await t.as(op, 'POST', '/api/v1/exports', { kind: 'contacts', format: 'csv' })).json().error.code,
    ).toBe('forbidden');
  });
});
