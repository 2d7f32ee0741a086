import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { connectWhatsApp } from '../channels/whatsapp/whatsapp-e2e-kit.ts';
import { VisitorClient, createWidgetChannel } from '../channels/widget/widget-test-kit.ts';
import type { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import type { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';

import { GIF, MAX, PDF, PNG, useUploadsApp } from './uploads-e2e-kit.ts';

const dialects = await testDialects();

/** An operator's upload sent through Telegram, WhatsApp and the site widget, each in its own way. */
describe.each(dialects)('Operator uploads through Telegram, WhatsApp and the widget (%s)', (dialect) => {
  const u = useUploadsApp(dialect);
  const { upload, api, conversationOf, reply } = u;
  let t: TestApp;
  let tg: TelegramSandbox;
  let wa: WhatsAppSandbox;

  beforeAll(() => {
    ({ t, tg, wa } = u.current());
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
    const ch = await connectWhatsApp(t, wa, number);
    await wa.customerSends(number.phoneNumberId, { from: '79990001122', content: { text: 'Привет' } });
    await t.drainJobs();
    const conv = await conversationOf(ch.id);
    const photo = (await upload({ bytes: PNG, name: 'kettle.png' })).json;
    const doc = (await upload({ bytes: PDF, name: 'manual.pdf' })).json;
    const gif = (await upload({ bytes: GIF, name: 'fun.gif' })).json;
    await reply(conv.id, { text: 'Вот фото', attachments: [{ uploadId: photo.id }] });
    await reply(conv.id, { attachments: [{ uploadId: doc.id }] });
    // The channel says what it carries; a GIF is refused before anything is stored or queued.
    const channel = (await api('GET', `/api/v1/channels/${ch.id}`)).json();
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
});
