import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import type { TestApp } from '../../../test/test-app.ts';
import { channelKit } from '../../../test/channel-kit.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { cleanupUnusedUploads } from './upload.service.ts';

import { MAX, PDF, PNG, sha, useUploadsApp } from './uploads-e2e-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('Operator uploads sent through every channel (%s)', (dialect) => {
  const u = useUploadsApp(dialect);
  const { upload, api, conversationOf, reply } = u;
  let t: TestApp;
  let base: string;
  let callback: FakeCallbackServer;

  beforeAll(() => {
    ({ t, base, callback } = u.current());
  });

  it('stores an upload with its sniffed type and hash, and refuses bad ones with clear errors', async () => {
    const ok = await upload({ bytes: PNG, name: 'C:\\fakepath\\фото товара.png', type: 'application/pdf' });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({
      fileName: 'фото товара.png',
      mimeType: 'image/png',
      size: PNG.length,
      kind: 'image',
      sha256: sha(PNG),
    });
    const row = await t.ctx.db.kysely
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', ok.json.id)
      .executeTakeFirstOrThrow();
    expect(row.account_id).toBe(t.admin.accountId);
    expect(row.used_at).toBeNull();
    expect(await t.ctx.files.exists(row.storage_key)).toBe(true);

    // An API token works as well as a session.
    const tok = (await api('POST', '/api/v1/tokens', { name: 'uploader' })).json().token;
    const viaToken = await upload(
      { bytes: PDF, name: 'invoice.pdf' },
      { headers: { authorization: `Bearer ${tok}` } },
    );
    expect(viaToken.status).toBe(201);
    expect(viaToken.json.mimeType).toBe('application/pdf');

    const cases: [string, Awaited<ReturnType<typeof upload>>, number, string][] = [
      [
        'too large',
        await upload({ bytes: Buffer.alloc(MAX + 1, 0x41), name: 'big.txt' }),
        413,
        'body_too_large',
      ],
      ['empty', await upload({ bytes: Buffer.alloc(0), name: 'empty.png' }), 400, 'validation_error'],
      [
        'unknown binary',
        await upload({ bytes: Buffer.from([0, 1, 2, 3, 4, 5, 0xfe]), name: 'run.exe' }),
        415,
        'unsupported_media_type',
      ],
      [
        'not multipart',
        await upload(null, {
          body: JSON.stringify({ file: 'x' }),
          headers: {
            cookie: t.admin.cookie,
            'x-csrf-token': t.admin.csrf,
            'content-type': 'application/json',
          },
        }),
        415,
        'unsupported_media_type',
      ],
      [
        'truncated multipart',
        await upload(null, {
          body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
          headers: {
            cookie: t.admin.cookie,
            'x-csrf-token': t.admin.csrf,
            'content-type': 'multipart/form-data; boundary=xyz',
          },
        }),
        400,
        'bad_request',
      ],
      ['no file part', await upload(null), 400, 'validation_error'],
      [
        'two files',
        await upload(
          { bytes: PNG, name: 'a.png' },
          {
            form: (() => {
              const f = new FormData();
              f.append('other', new Blob([new Uint8Array(PDF)]), 'b.pdf');
              return f;
            })(),
          },
        ),
        400,
        'bad_request',
      ],
      [
        'no CSRF token',
        await upload({ bytes: PNG, name: 'a.png' }, { headers: { cookie: t.admin.cookie } }),
        403,
        'csrf_failed',
      ],
      ['signed out', await upload({ bytes: PNG, name: 'a.png' }, { headers: {} }), 401, 'unauthorized'],
    ];
    for (const [what, res, status, code] of cases) {
      expect({ what, status: res.status, code: res.json.error?.code }).toEqual({ what, status, code });
      expect(res.json.error.message, what).toMatch(/\w/);
    }
    expect(cases[0]![1].json.error.details).toEqual({ maxBytes: MAX });

    // OpenAPI shows the multipart form and the signed-download route.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/uploads'].post.requestBody.content['multipart/form-data'].schema).toMatchObject(
      {
        properties: { file: { type: 'string', format: 'binary' } },
      },
    );
    expect(doc.paths['/api/v1/files/{id}'].get.security).toEqual([]);
  });

  it('API channel: the callback carries a signed link to the exact bytes; notes keep files too', async () => {
    const ch = (
      await api('POST', '/api/v1/channels', {
        type: 'api',
        name: 'Shop backend',
        settings: { callbackUrl: callback.url },
      })
    ).json();
    const raw = JSON.stringify({
      eventId: 'e-1',
      contact: { externalId: 'cust-1', name: 'Olga' },
      message: { externalId: 'm-1', text: 'Пришлите счёт' },
    });
    const hook = await channelKit(t).apiWebhook({ id: ch.id, secret: ch.connection.secret }, raw);
    expect(hook.statusCode).toBe(200);
    await t.drainJobs();
    const conv = await conversationOf(ch.id);
    const up = (await upload({ bytes: PDF, name: 'счёт №5.pdf' })).json;
    const img = (await upload({ bytes: PNG, name: 'photo.png' })).json;

    // Another account's upload id is refused like an unknown one, and nothing is stored.
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Other',
      email: 'other@example.com',
      password: 'other-password-1',
    });
    expect(other).toBeTruthy();
    const mallory = await t.login('other@example.com', 'other-password-1');
    const foreign = (await upload({ bytes: PNG, name: 'x.png' }, { session: mallory })).json;
    const refused = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      attachments: [{ uploadId: foreign.id }],
      clientMessageId: 'foreign-1',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('validation_error');
    const leftUnused = await t.ctx.db.kysely
      .selectFrom('uploads')
      .select('used_at')
      .where('id', '=', foreign.id)
      .executeTakeFirstOrThrow();
    expect(leftUnused.used_at).toBeNull();

    const m = await reply(conv.id, { text: 'Ваш счёт', attachments: [{ uploadId: up.id }] });
    expect(m).toMatchObject({
      contentKind: 'text',
      attachments: [{ kind: 'document', name: 'счёт №5.pdf', mimeType: 'application/pdf', size: PDF.length }],
    });
    // The console downloads it like inbound media.
    const own = await fetch(`${base}${m.attachments[0].url}`, { headers: { cookie: t.admin.cookie } });
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).equals(PDF)).toBe(true);

    callback.received.length = 0;
    await t.drainJobs();
    expect(callback.received).toHaveLength(1);
    const sent = callback.received[0]!.body as {
      message: { attachments: { url: string; expiresAt: string; [k: string]: unknown }[] };
    };
    const [att] = sent.message.attachments;
    expect(att).toMatchObject({
      name: 'счёт №5.pdf',
      mimeType: 'application/pdf',
      size: PDF.length,
      sha256: sha(PDF),
    });
    expect(att!.url.startsWith(`${base}/api/v1/files/`)).toBe(true);
    expect(Date.parse(att!.expiresAt)).toBeGreaterThan(Date.now());
    const dl = await fetch(att!.url);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await dl.arrayBuffer()).equals(PDF)).toBe(true);
    // A changed signature, another file's id with this signature, or no signature: refused.
    const u = new URL(att!.url);
    for (const bad of [
      `${u.origin}${u.pathname}?expires=${u.searchParams.get('expires')}&signature=AAAA${u.searchParams.get('signature')!.slice(4)}`,
      `${u.origin}${u.pathname}?expires=${Number(u.searchParams.get('expires')) + 1}&signature=${u.searchParams.get('signature')}`,
      `${u.origin}/api/v1/files/${img.id}${u.search}`,
    ]) {
      const r = await fetch(bad);
      expect(r.status, bad).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect((await fetch(`${u.origin}${u.pathname}`)).status).toBe(400);

    // A private note may carry files; it goes nowhere.
    const note = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Фото для коллег',
      private: true,
      attachments: [{ uploadId: img.id }],
      clientMessageId: 'note-1',
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ private: true, attachments: [{ kind: 'image', size: PNG.length }] });
    callback.received.length = 0;
    await t.drainJobs();
    expect(callback.received).toHaveLength(0);
  });

  it('deletes unused uploads and their bytes after a day; used ones stay', async () => {
    const unused = (await upload({ bytes: PNG, name: 'forgotten.png' })).json;
    const k = t.ctx.db.kysely;
    const rows = await k.selectFrom('uploads').selectAll().execute();
    const used = rows.filter((r) => r.used_at !== null);
    expect(used.length).toBeGreaterThan(0);
    expect(await cleanupUnusedUploads(t.ctx)).toBe(0);
    const removed = await cleanupUnusedUploads(t.ctx, { olderThanMs: -1 });
    expect(removed).toBe(rows.length - used.length);
    const left = await k.selectFrom('uploads').select(['id', 'storage_key']).execute();
    expect(left.map((r) => r.id).sort()).toEqual(used.map((r) => r.id).sort());
    const gone = rows.find((r) => r.id === unused.id)!;
    expect(await t.ctx.files.exists(gone.storage_key)).toBe(false);
    for (const r of used) expect(await t.ctx.files.exists(r.storage_key)).toBe(true);
    // A removed upload can no longer be sent.
    const conv = (await api('GET', '/api/v1/conversations')).json().items[0];
    const r = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      attachments: [{ uploadId: unused.id }],
      clientMessageId: 'late-1',
    });
    expect(r.statusCode).toBe(400);
  });
});
