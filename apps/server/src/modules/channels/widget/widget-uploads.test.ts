import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { adminInbox } from '../channel-e2e-kit.ts';
import { VisitorClient, createWidgetChannel } from './widget-test-kit.ts';

const dialects = await testDialects();

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.each(dialects)('site widget visitor uploads (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now });
  let channel: { id: string; identitySecret: string; snippet: string };

  beforeEach(async () => {
    channel = await createWidgetChannel(t);
  });

  const { conversations, messagesOf: operatorMessages } = adminInbox(t);

  it('uploads a file, sends it, and lets only this visitor and the operators download it', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    const up = await v.request('POST', '/uploads', PNG, {
      'content-type': 'text/html',
      'x-file-name': encodeURIComponent('../фото <1>.png'),
    });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({
      mimeType: 'image/png',
      kind: 'image',
      size: PNG.length,
      name: 'фото <1>.png',
    });
    expect((await v.send('client-msg-2000', undefined, { attachments: [up.json().token] })).statusCode).toBe(
      202,
    );
    await t.drainJobs();
    const [msg] = (await v.messages()).items;
    expect(msg).toMatchObject({ kind: 'image', text: null });
    const att = msg!.attachments[0]!;
    expect(att.url).toBe(`/api/v1/widget/${channel.id}/attachments/${att.id}`);
    const file = await v.request('GET', `/attachments/${att.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    // Operators get it through the console's attachment route.
    const [conv] = await conversations();
    const [opMsg] = await operatorMessages(conv.id);
    const opFile = await t.as(t.admin, 'GET', opMsg.attachments[0].url);
    expect(opFile.statusCode).toBe(200);
    expect(opFile.rawPayload.equals(PNG)).toBe(true);

    const stranger = new VisitorClient(t, channel.id);
    await stranger.session();
    expect((await stranger.request('GET', `/attachments/${att.id}`)).statusCode).toBe(404);
    // Another visitor's upload receipt is refused.
    const stolen = await stranger.send('client-msg-2001', undefined, { attachments: [up.json().token] });
    expect(stolen.statusCode).toBe(400);

    const empty = await v.request('POST', '/uploads', Buffer.alloc(0), { 'content-type': 'image/png' });
    expect(empty.statusCode).toBe(400);
  });

  it('refuses uploads over the channel limit', async () => {
    const small = await createWidgetChannel(t, t.admin, { maxUploadBytes: 1000 });
    const v = new VisitorClient(t, small.id);
    await v.session();
    const big = await v.request('POST', '/uploads', Buffer.alloc(1001, 1), {
      'content-type': 'application/octet-stream',
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
  });
});
