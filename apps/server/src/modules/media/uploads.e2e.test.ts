import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { type Session, type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { signApiBody } from '../channels/api/api-signature.ts';
import { VisitorClient, createWidgetChannel } from '../channels/widget/widget-test-kit.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';
import { cleanupUnusedUploads } from './upload.service.ts';

const dialects = await testDialects();

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(3000),
]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), randomBytes(500)]);
const MAX = 200_000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An upload's answer: the stored file, or an error. */
interface Answer {
  id: string;
  mimeType: string;
  error: { code: string; message: string; details?: unknown };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe.each(dialects)('Operator uploads sent through every channel (%s)', (dialect) => {
  let t: TestApp;
  let base: string;
  let callback: FakeCallbackServer;
  let tg: TelegramSandbox;
  let wa: WhatsAppSandbox;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    [callback, tg, wa] = await Promise.all([
      new FakeCallbackServer().start(),
      new TelegramSandbox().start(),
      new WhatsAppSandbox().start(),
    ]);
    t = await createTestApp(dialect, {
      env: { PORT: String(port), PUBLIC_URL: base, MEDIA_MAX_BYTES: String(MAX) },
    });
    await t.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await wa?.settle();
    await t?.close();
    await Promise.all([callback?.stop(), tg?.stop(), wa?.stop()]);
  });

  /** A real multipart request over HTTP, as a browser's FormData sends it. */
  async function upload(
    file: { bytes: Buffer; name: string; type?: string } | null,
    opts: { session?: Session; headers?: Record<string, string>; form?: FormData; body?: BodyInit } = {},
  ) {
    const s = opts.session ?? t.admin;
    const form = opts.form ?? new FormData();
    if (file)
      form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? '' }), file.name);
    const res = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: opts.headers ?? { cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: opts.body ?? form,
    });
    return { status: res.status, json: (await res.json()) as Answer };
  }
  const api = (method: string, url: string, body?: unknown) => t.as(t.admin, method, url, body);
  const conversationOf = async (channelId: string) =>
    (await api('GET', `/api/v1/conversations?channel=${channelId}`)).json().items[0];
  const reply = async (convId: string, body: Record<string, unknown>) => {
    const r = await api('POST', `/api/v1/conversations/${convId}/messages`, {
      clientMessageId: randomBytes(6).toString('hex'),
      ...body,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json();
  };

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
    const hook = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${ch.id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(ch.connection.secret, raw),
      },
      payload: raw,
    });
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

  it('Telegram: uploads the bytes as multipart InputFiles (photo with caption, document with name)', async () => {
    const bot = tg.createBot({ username: 'files_bot' });
    const ch = await api('POST', '/api/v1/channels', {
      type: 'telegram',
      name: 'TG',
      settings: { botToken: bot.token, apiBaseUrl: tg.url },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    const alice = { id: 5550199, first_name: 'Alice' };
    await tg.customerSends(bot.token, { from: alice, content: { text: 'Покажите' } });
    await t.drainJobs();
    const conv = await conversationOf(ch.json().id);
    const photo = (await upload({ bytes: PNG, name: 'kettle.png' })).json;
    const doc = (await upload({ bytes: PDF, name: 'manual.pdf' })).json;
    await reply(conv.id, { text: 'Вот он', attachments: [{ uploadId: photo.id }] });
    await reply(conv.id, { attachments: [{ uploadId: doc.id }] });
    await t.drainJobs();

    const [first, second] = tg.sentBy(bot.token, alice.id);
    expect(first).toMatchObject({ caption: 'Вот он' });
    const sizes = first!.photo as { file_id: string }[];
    expect(tg.fileBytes(sizes[sizes.length - 1]!.file_id)!.equals(PNG)).toBe(true);
    const d = second!.document as { file_id: string; file_name: string; mime_type: string };
    expect(d).toMatchObject({ file_name: 'manual.pdf', mime_type: 'application/pdf' });
    // What the customer's app downloads is what the operator uploaded.
    const info = (await (
      await fetch(`${tg.url}/bot${bot.token}/getFile?file_id=${encodeURIComponent(d.file_id)}`)
    ).json()) as { result: { file_path: string } };
    const bytes = await fetch(`${tg.url}/file/bot${bot.token}/${info.result.file_path}`);
    expect(Buffer.from(await bytes.arrayBuffer()).equals(PDF)).toBe(true);
    const msgs = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json().items;
    expect(msgs.filter((x: { deliveryStatus: string }) => x.deliveryStatus === 'sent')).toHaveLength(2);
  });

  it('WhatsApp: uploads to /<phone-number-id>/media and sends by media id; refuses what it cannot carry before queueing', async () => {
    const number = wa.createNumber();
    const ch = await api('POST', '/api/v1/channels', {
      type: 'whatsapp',
      name: 'WA',
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: number.accessToken,
        appSecret: number.appSecret,
        apiBaseUrl: wa.url,
      },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    const { webhookUrl, verifyToken } = ch.json().connection;
    expect(await wa.subscribe(number.phoneNumberId, webhookUrl, verifyToken)).toBe(true);
    await wa.customerSends(number.phoneNumberId, { from: '79990001122', content: { text: 'Привет' } });
    await t.drainJobs();
    const conv = await conversationOf(ch.json().id);
    const photo = (await upload({ bytes: PNG, name: 'kettle.png' })).json;
    const doc = (await upload({ bytes: PDF, name: 'manual.pdf' })).json;
    const gif = (await upload({ bytes: GIF, name: 'fun.gif' })).json;
    await reply(conv.id, { text: 'Вот фото', attachments: [{ uploadId: photo.id }] });
    await reply(conv.id, { attachments: [{ uploadId: doc.id }] });
    // The channel says what it carries; a GIF is refused before anything is stored or queued.
    const channel = (await api('GET', `/api/v1/channels/${ch.json().id}`)).json();
    expect(channel.outboundMedia.rules[0]).toEqual({
      kind: 'image',
      mimeTypes: ['image/jpeg', 'image/png'],
      maxBytes: MAX,
    });
    const before = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json().items.length;
    const refused = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Смешная картинка',
      attachments: [{ uploadId: gif.id }],
      clientMessageId: 'gif-1',
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'unsupported_media_type',
      details: {
        channelType: 'whatsapp',
        files: [
          {
            fileName: 'fun.gif',
            mimeType: 'image/gif',
            reason: 'type',
            allowed: expect.arrayContaining(['image/jpeg', 'image/png', 'application/pdf']),
          },
        ],
      },
    });
    expect(refused.json().error.message).toContain('image/gif');
    await t.drainJobs();
    const after = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).json().items;
    expect(after).toHaveLength(before);
    // Not claimed by the refused reply: the same upload can still go as a private note.
    const usedAt = await t.ctx.db.kysely
      .selectFrom('uploads')
      .select('used_at')
      .where('id', '=', gif.id)
      .executeTakeFirstOrThrow();
    expect(usedAt.used_at).toBeNull();
    const note = await reply(conv.id, {
      text: 'для коллег',
      private: true,
      attachments: [{ uploadId: gif.id }],
    });
    expect(note).toMatchObject({ private: true, attachments: [{ mimeType: 'image/gif' }] });
    await t.drainJobs();

    const [img, pdf] = wa.sent(number.phoneNumberId, '79990001122');
    const image = img!.body.image as { id: string; caption: string };
    expect(image.caption).toBe('Вот фото');
    expect(wa.mediaBytes(image.id)!.equals(PNG)).toBe(true);
    const document = pdf!.body.document as { id: string; filename: string };
    expect(document.filename).toBe('manual.pdf');
    expect(wa.mediaBytes(document.id)!.equals(PDF)).toBe(true);
    expect(wa.sent(number.phoneNumberId)).toHaveLength(2);
  });

  it('Widget: the visitor gets a link only their token opens', async () => {
    const ch = await createWidgetChannel(t);
    const visitor = new VisitorClient(t, ch.id);
    await visitor.session();
    const hello = await visitor.send('visitor-msg-1', 'Здравствуйте');
    expect(hello.statusCode, hello.body).toBe(202);
    await t.drainJobs();
    const conv = await conversationOf(ch.id);
    const photo = (await upload({ bytes: PNG, name: 'kettle.png' })).json;
    const sent = await reply(conv.id, { attachments: [{ uploadId: photo.id }] });
    // The widget may ask for the file the moment it is pushed, before the job records "sent".
    const early = await visitor.request('GET', `/attachments/${sent.attachments[0].id}`);
    expect(early.statusCode).toBe(200);
    await t.drainJobs();
    const out = (await visitor.messages()).items.find((m) => m.direction === 'out')!;
    const att = out.attachments[0]!;
    expect(att).toMatchObject({ kind: 'image', mimeType: 'image/png', size: PNG.length });
    expect(att.url).toBe(`/api/v1/widget/${ch.id}/attachments/${att.id}`);
    const got = await visitor.request('GET', `/attachments/${att.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const stranger = new VisitorClient(t, ch.id);
    await stranger.session();
    expect((await stranger.request('GET', `/attachments/${att.id}`)).statusCode).toBe(404);
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
