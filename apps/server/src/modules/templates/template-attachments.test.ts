import { TEMPLATE_MAX_ATTACHMENTS } from '@switchboard/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { ManualClock } from '../../infra/clock.ts';
import { buildCorpus, type Corpus, DAY0 } from '../search/search-corpus.fixture.ts';

const dialects = await testDialects();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe.each(dialects)('template files, preview and scopes (%s)', (dialect) => {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
  });

  /** POST /uploads as the console sends it (multipart, one file part). */
  async function upload(s: Session, name: string, bytes = PDF): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const req = new Request('http://x/', { method: 'POST', body: form });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': req.headers.get('content-type')! },
      payload: Buffer.from(await req.arrayBuffer()),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  const create = async (s: Session, body: Record<string, unknown>) => {
    const res = await t.as(s, 'POST', '/api/v1/templates', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const storageKeys = () =>
    t.ctx.db.kysely.selectFrom('template_attachments').select('storage_key').execute();

  it('attaches uploads to a template, hands out copies when it is used and removes the bytes with it', async () => {
    const tpl = await create(t.admin, {
      name: 'Prices',
      shortcut: 'prices',
      text: 'Our prices',
      scope: 'everyone',
    });
    const first = await upload(t.admin, 'прайс.pdf');
    const attached = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.id}/attachments`, {
      uploadId: first,
    });
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json().attachments).toMatchObject([
      { fileName: 'прайс.pdf', mimeType: 'application/pdf', size: PDF.length, kind: 'document' },
    ]);
    // The upload is consumed: neither the template nor a reply can take it again.
    const again = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.id}/attachments`, { uploadId: first });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('validation_error');
    // Someone else's upload is refused like an unknown one.
    const olgas = await upload(c.operator, 'olga.pdf');
    const foreign = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.id}/attachments`, {
      uploadId: olgas,
    });
    expect(foreign.statusCode).toBe(400);
    // An operator may not change a shared template's files.
    const byOperator = await t.as(c.operator, 'POST', `/api/v1/templates/${tpl.id}/attachments`, {
      uploadId: olgas,
    });
    expect(byOperator.statusCode).toBe(403);

    const listed = (await t.as(c.operator, 'GET', '/api/v1/templates?q=prices')).json().items[0];
    expect(listed.attachments).toHaveLength(1);

    // Using it: the operator gets a fresh upload of their own, and a reply sends it.
    const used = await t.as(c.operator, 'POST', `/api/v1/templates/${tpl.id}/render`, {
      conversationId: c.conv.maria,
    });
    expect(used.statusCode, used.body).toBe(200);
    const [copy] = used.json().attachments;
    expect(copy).toMatchObject({ fileName: 'прайс.pdf', mimeType: 'application/pdf', size: PDF.length });
    expect(copy.id).not.toBe(first);
    const noFiles = await t.as(c.operator, 'POST', `/api/v1/templates/${tpl.id}/render`, {
      conversationId: c.conv.maria,
      withAttachments: false,
    });
    expect(noFiles.json().attachments).toEqual([]);
    const sent = await t.as(c.operator, 'POST', `/api/v1/conversations/${c.conv.maria}/messages`, {
      text: used.json().text,
      attachments: [{ uploadId: copy.id }],
      clientMessageId: 'tpl-files-1',
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    const sentRow = await t.ctx.db.kysely
      .selectFrom('uploads')
      .select(['storage_key', 'used_at'])
      .where('id', '=', copy.id)
      .executeTakeFirstOrThrow();
    expect(sentRow.used_at).not.toBeNull();

    // Removing the file deletes the template's bytes; the sent copy stays.
    const key = (await storageKeys())[0]!.storage_key;
    const removed = await t.as(
      t.admin,
      'DELETE',
      `/api/v1/templates/${tpl.id}/attachments/${attached.json().attachments[0].id}`,
    );
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().attachments).toEqual([]);
    expect(await t.ctx.files.exists(key)).toBe(false);
    expect(await t.ctx.files.exists(sentRow.storage_key)).toBe(true);
    const gone = await t.as(
      t.admin,
      'DELETE',
      `/api/v1/templates/${tpl.id}/attachments/${attached.json().attachments[0].id}`,
    );
    expect(gone.statusCode).toBe(404);

    // At most TEMPLATE_MAX_ATTACHMENTS; deleting the template deletes their bytes.
    for (let i = 0; i < TEMPLATE_MAX_ATTACHMENTS; i++) {
      const r = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.id}/attachments`, {
        uploadId: await upload(t.admin, `f${i}.pdf`),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const over = await t.as(t.admin, 'POST', `/api/v1/templates/${tpl.id}/attachments`, {
      uploadId: await upload(t.admin, 'one-more.pdf'),
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toMatch(/at most 5/);
    const keys = (await storageKeys()).map((r) => r.storage_key);
    expect(keys).toHaveLength(TEMPLATE_MAX_ATTACHMENTS);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/templates/${tpl.id}`)).statusCode).toBe(204);
    expect(await storageKeys()).toEqual([]);
    for (const k of keys) expect(await t.ctx.files.exists(k)).toBe(false);

    // Another account cannot reach the template's files at all.
    const mine = await create(t.admin, { name: 'Mine', shortcut: 'mine', text: 'x', scope: 'everyone' });
    const other = await t.as(c.other.session, 'POST', `/api/v1/templates/${mine.id}/attachments`, {
      uploadId: await upload(c.other.session, 'x.pdf'),
    });
    expect(other.statusCode).toBe(404);
  });

  it('previews text with sample values or a real conversation and flags unknown variables', async () => {
    const text =
      'Hi {{contact.first_name}}, {{operator.first_name}} here ({{channel.name}}). {{contact.attributes.plan}} {{nope}}';
    const sample = await t.as(c.operator, 'POST', '/api/v1/templates/preview', { text });
    expect(sample.statusCode, sample.body).toBe(200);
    expect(sample.json()).toMatchObject({
      text: 'Hi Anna, Olga here (Website chat).  ',
      sample: true,
      variables: [
        { name: 'contact.first_name', known: true },
        { name: 'operator.first_name', known: true },
        { name: 'channel.name', known: true },
        { name: 'contact.attributes.plan', known: true },
        { name: 'nope', known: false },
      ],
    });
    expect(
      sample.json().unresolved.map((u: { variable: string; reason: string }) => [u.variable, u.reason]),
    ).toEqual([
      ['contact.attributes.plan', 'unknown'],
      ['nope', 'unknown'],
    ]);
    // A defined attribute previews as its label.
    const def = await t.as(t.admin, 'POST', '/api/v1/attribute-definitions', {
      entity: 'contact',
      key: 'plan',
      label: 'Plan',
      type: 'text',
    });
    expect(def.statusCode, def.body).toBe(201);
    const withDef = await t.as(c.operator, 'POST', '/api/v1/templates/preview', { text });
    expect(withDef.json().text).toBe('Hi Anna, Olga here (Website chat). [Plan] ');

    const real = await t.as(t.admin, 'POST', '/api/v1/templates/preview', {
      text,
      conversationId: c.conv.maria,
    });
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json()).toMatchObject({
      text: expect.stringMatching(/^Hi Мария, Ada here \(Shop\)\./),
      sample: false,
    });
    // Conversations the caller cannot see, or of another account, are 404; empty text is a 400.
    expect(
      (await t.as(c.operator, 'POST', '/api/v1/templates/preview', { text, conversationId: c.conv.alice }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await t.as(c.other.session, 'POST', '/api/v1/templates/preview', {
          text,
          conversationId: c.conv.maria,
        })
      ).statusCode,
    ).toBe(404);
    const empty = await t.as(c.operator, 'POST', '/api/v1/templates/preview', { text: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'validation_error', message: expect.any(String) });
  });

  it('shows team templates to members only and lets only their owner touch personal ones', async () => {
    const team = await create(t.admin, {
      name: 'VIP hello',
      shortcut: 'viphello',
      text: 'Welcome to VIP',
      scope: 'team',
      teamId: c.vip.teamId,
    });
    const shortcuts = async (s: Session) =>
      ((await t.as(s, 'GET', '/api/v1/templates')).json().items as { shortcut: string }[]).map(
        (x) => x.shortcut,
      );
    expect(await shortcuts(c.operator)).not.toContain('viphello');
    const members = await t.as(t.admin, 'PUT', `/api/v1/teams/${c.vip.teamId}/members`, {
      userIds: [c.operator.userId],
    });
    expect(members.statusCode, members.body).toBe(200);
    expect(await shortcuts(c.operator)).toContain('viphello');
    // Members use team templates; only supervisors and admins change them.
    expect((await t.as(c.operator, 'PATCH', `/api/v1/templates/${team.id}`, { text: 'x' })).statusCode).toBe(
      403,
    );
    expect((await t.as(c.operator, 'DELETE', `/api/v1/templates/${team.id}`)).statusCode).toBe(403);

    const personal = await create(c.operator, {
      name: 'Olga sign',
      shortcut: 'sign',
      text: 'Olga',
      scope: 'personal',
    });
    // The admin neither sees nor changes an operator's personal template.
    expect(await shortcuts(t.admin)).not.toContain('sign');
    expect((await t.as(t.admin, 'PATCH', `/api/v1/templates/${personal.id}`, { text: 'x' })).statusCode).toBe(
      404,
    );
    const file = await upload(t.admin, 'a.pdf');
    expect(
      (await t.as(t.admin, 'POST', `/api/v1/templates/${personal.id}/attachments`, { uploadId: file }))
        .statusCode,
    ).toBe(404);
    const own = await t.as(c.operator, 'POST', `/api/v1/templates/${personal.id}/attachments`, {
      uploadId: await upload(c.operator, 'sig.pdf'),
    });
    expect(own.statusCode, own.body).toBe(201);
  });
});
