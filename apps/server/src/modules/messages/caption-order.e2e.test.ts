import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { ViberSandbox } from '../../sandbox/viber-sandbox.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';

const dialects = await testDialects();

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(3000),
]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
const SHORT = 'Вот фото и инструкция';
/** Longer than every provider's caption (Telegram and WhatsApp 1024, Viber 768), shorter than a text. */
const LONG = `${'Подробная инструкция. '.repeat(60)}Конец.`;

/**
 * Bug #5 of issue 18: a reply with text and two files reached a Telegram customer as three messages with
 * the text last. Each provider now gets the text as the first file's caption where it fits, else the
 * text first, then the files: the order the console shows (text above files).
 */
describe.each(dialects)('Reply with text and two files (%s)', (dialect) => {
  let t: TestApp;
  let tg: TelegramSandbox;
  let wa: WhatsAppSandbox;
  let vb: ViberSandbox;
  let port: number;

  beforeAll(async () => {
    [tg, wa, vb] = await Promise.all([
      new TelegramSandbox().start(),
      new WhatsAppSandbox().start(),
      new ViberSandbox().start(),
    ]);
    // Webhooks and Viber's media links need the address the providers reach Switchboard at.
    port = await freePort();
    t = await createTestApp(dialect, { env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
    await t.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await Promise.all([wa?.settle(), vb?.settle()]);
    await t?.close();
    await Promise.all([tg?.stop(), wa?.stop(), vb?.stop()]);
  });

  const api = (method: string, url: string, body?: unknown) => t.as(t.admin, method, url, body);
  async function upload(bytes: Buffer, name: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: t.admin.cookie, 'x-csrf-token': t.admin.csrf },
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  /** Replies with `text`, a picture and a PDF (in that order) in the channel's only conversation. */
  async function replyWithTwoFiles(channelId: string, text: string): Promise<void> {
    const conv = (await api('GET', `/api/v1/conversations?channel=${channelId}`)).json().items[0];
    const attachments = [
      { uploadId: await upload(PNG, 'photo.png') },
      { uploadId: await upload(PDF, 'manual.pdf') },
    ];
    const r = await api('POST', `/api/v1/conversations/${conv.id}/messages`, {
      text,
      attachments,
      clientMessageId: randomBytes(6).toString('hex'),
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    for (let i = 0; i < 3; i++) {
      await Promise.all([wa.settle(), vb.settle()]);
      await t.drainJobs();
    }
  }
  async function connect(body: Record<string, unknown>) {
    const ch = await api('POST', '/api/v1/channels', body);
    expect(ch.statusCode, ch.body).toBe(201);
    return ch.json() as { id: string; connection: { webhookUrl: string; verifyToken: string } };
  }

  it('Telegram: the photo carries the text as caption, then the document; long text goes first', async () => {
    const bot = tg.createBot({ username: 'caption_bot' });
    const ch = await connect({
      type: 'telegram',
      name: 'TG',
      settings: { botToken: bot.token, apiBaseUrl: tg.url },
    });
    const alice = { id: 5550177, first_name: 'Alice' };
    await tg.customerSends(bot.token, { from: alice, content: { text: 'Покажите' } });
    await t.drainJobs();
    const sends = () =>
      tg.calls.filter((c) => c.token === bot.token && c.method.startsWith('send') && c.result);

    await replyWithTwoFiles(ch.id, SHORT);
    expect(sends().map((c) => c.method)).toEqual(['sendPhoto', 'sendDocument']);
    const [photo, doc] = tg.sentBy(bot.token, alice.id);
    expect(photo).toMatchObject({ caption: SHORT, photo: expect.any(Array) });
    expect(doc).toMatchObject({ document: { file_name: 'manual.pdf' } });
    expect(doc).not.toHaveProperty('caption');

    await replyWithTwoFiles(ch.id, LONG);
    expect(sends().map((c) => c.method)).toEqual([
      'sendPhoto',
      'sendDocument',
      'sendMessage',
      'sendPhoto',
      'sendDocument',
    ]);
    const later = tg.sentBy(bot.token, alice.id).slice(2);
    expect(later[0]).toMatchObject({ text: LONG });
    expect(later.slice(1).some((m) => 'caption' in m)).toBe(false);
  });

  it('WhatsApp: the image carries the caption, the document its file name; long text goes first', async () => {
    const number = wa.createNumber();
    const ch = await connect({
      type: 'whatsapp',
      name: 'WA',
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: number.accessToken,
        appSecret: number.appSecret,
        apiBaseUrl: wa.url,
      },
    });
    expect(
      await wa.subscribe(number.phoneNumberId, ch.connection.webhookUrl, ch.connection.verifyToken),
    ).toBe(true);
    await wa.customerSends(number.phoneNumberId, { from: '79990001177', content: { text: 'Привет' } });
    await t.drainJobs();

    await replyWithTwoFiles(ch.id, SHORT);
    const first = wa.sent(number.phoneNumberId, '79990001177').map((m) => m.body);
    expect(first.map((b) => b.type)).toEqual(['image', 'document']);
    expect(first[0]!.image).toEqual({ id: expect.any(String), caption: SHORT });
    expect(first[1]!.document).toEqual({ id: expect.any(String), filename: 'manual.pdf' });

    await replyWithTwoFiles(ch.id, LONG);
    const second = wa
      .sent(number.phoneNumberId, '79990001177')
      .slice(2)
      .map((m) => m.body);
    expect(second.map((b) => b.type)).toEqual(['text', 'image', 'document']);
    expect(second[0]!.text).toEqual({ body: LONG, preview_url: false });
    expect(second[1]!.image).not.toHaveProperty('caption');
  });

  it('Viber: the picture carries the text as its description, then the file; long text goes first', async () => {
    const bot = vb.createBot('Caption bot');
    const ch = await connect({
      type: 'viber',
      name: 'VB',
      settings: { authToken: bot.authToken, apiBaseUrl: vb.apiBaseUrl },
    });
    const maria = { id: 'Y2FwdGlvbi1tYXJpYQ==', name: 'Maria' };
    expect(await vb.customerSends(bot.authToken, maria, { type: 'text', text: 'Привет' })).toBe(200);
    await vb.settle();
    await t.drainJobs();

    await replyWithTwoFiles(ch.id, SHORT);
    const first = vb.sentTo(bot.authToken, maria.id).map((l) => l.request!);
    expect(first.map((b) => b.type)).toEqual(['picture', 'file']);
    expect(first[0]).toMatchObject({
      text: SHORT,
      media: expect.stringMatching(/^http:\/\/.+\/api\/v1\/files\//),
    });
    expect(first[1]).toMatchObject({ file_name: 'manual.pdf', size: PDF.length });

    await replyWithTwoFiles(ch.id, LONG);
    const second = vb
      .sentTo(bot.authToken, maria.id)
      .slice(2)
      .map((l) => l.request!);
    expect(second.map((b) => [b.type, b.text])).toEqual([
      ['text', LONG],
      ['picture', ''],
      ['file', undefined],
    ]);
  });
});
