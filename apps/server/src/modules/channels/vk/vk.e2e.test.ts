import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { VkSandbox } from '../../../sandbox/vk-sandbox.ts';
import type { Community } from '../../../sandbox/vk-sandbox-model.ts';
import { uploadPng } from '../channel-e2e-kit.ts';

const dialects = await testDialects();

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0 vk photo')]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(40, 1)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(40, 3),
]);
const ALICE = 1_500_001;
const BORIS = 1_500_002;

interface Msg {
  id: string;
  direction: string;
  text: string | null;
  contentKind: string;
  deliveryStatus: string | null;
  error: { code: string; message: string } | null;
  attachments: { kind: string }[];
  meta: Record<string, unknown>;
}

describe.each(dialects)('VK through the sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, {
    listen: true,
    clock: () => Date.now(),
    env: { MEDIA_MAX_BYTES: '100000' },
  });
  const sandbox = useSandbox(new VkSandbox());
  const { as, count } = t;
  const conversations = async () => (await as(t.admin, 'GET', '/api/v1/conversations')).json().items;
  let group: Community;
  let channelId: string;

  beforeAll(() => {
    sandbox.addUser({ id: ALICE, first_name: 'Алиса', last_name: 'Смирнова' });
    sandbox.addUser({ id: BORIS, first_name: 'Борис', last_name: 'Петров' });
  });
  beforeEach(() => {
    group = sandbox.createCommunity({ name: 'Магазин «Ромашка»', screenName: 'romashka_shop' });
  });

  const messagesOf = async (convId: string): Promise<Msg[]> =>
    (await as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
  const settle = () => settleWith(sandbox, t);
  const reply = (convId: string, text: string, clientMessageId: string, extra: object = {}) =>
    as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, { text, clientMessageId, ...extra });
  const connect = async () => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'vk',
      name: 'ВКонтакте',
      settings: {
        groupId: group.groupId,
        accessToken: group.accessToken,
        secret: group.secret,
        confirmationCode: group.confirmationCode,
        apiBaseUrl: sandbox.apiBaseUrl,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    expect(await sandbox.setCallbackServer(group.groupId, res.json().connection.webhookUrl)).toBe(true);
    return res;
  };

  it('connecting checks the token; VK confirms the server; a wrong secret is refused and stored nowhere', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'vk',
      name: 'x',
      settings: {
        groupId: group.groupId,
        accessToken: 'vk1.a.this-token-does-not-exist-anywhere',
        secret: 's',
        confirmationCode: 'c',
        apiBaseUrl: sandbox.apiBaseUrl,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    const res = await connect();
    expect(res.json().connection).toMatchObject({
      webhookUrl: `${t.base}/webhooks/vk/${channelId}`,
      groupName: 'Магазин «Ромашка»',
      groupLink: 'https://vk.com/romashka_shop',
    });
    expect(res.body).not.toContain(group.accessToken);
    expect(res.body).not.toContain(group.secret);

    const url = `${t.base}/webhooks/vk/${channelId}`;
    const confirm = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'confirmation', group_id: group.groupId }),
    });
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await confirm.text()).toBe(group.confirmationCode);
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        group_id: group.groupId,
        type: 'message_new',
        event_id: 'forged1',
        v: '5.199',
        object: {
          message: { peer_id: ALICE, from_id: ALICE, conversation_message_id: 1, text: 'hi', date: 1 },
        },
        secret: 'guess',
      }),
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('forbidden');
    expect(await count('inbound_events')).toBe(0);
    // An event type Switchboard does not use is acknowledged and dropped.
    const other = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        group_id: group.groupId,
        type: 'group_join',
        event_id: 'gj1',
        v: '5.199',
        object: { user_id: ALICE, join_type: 'join' },
        secret: group.secret,
      }),
    });
    expect(await other.text()).toBe('ok');
    expect(await count('inbound_events')).toBe(0);
  });

  it('customer → console → reply → customer; our echo is not stored twice, an admin’s reply in VK is', async () => {
    await connect();
    const { delivery } = await sandbox.customerWrites(group.groupId, ALICE, { text: 'Где мой заказ? &lt;3' });
    expect(delivery).toMatchObject({ status: 200, body: 'ok' });
    expect((await sandbox.redeliver(group.groupId, delivery.event)).body).toBe('ok');
    await settle();
    expect(await count('inbound_events')).toBe(2); // message_allow (first message) + message_new
    const [conv] = await conversations();
    expect(conv).toMatchObject({ contact: { name: 'Алиса Смирнова' }, channel: { type: 'vk' } });
    const [inbound] = await messagesOf(conv.id);
    expect(inbound).toMatchObject({
      direction: 'in',
      text: 'Где мой заказ? <3',
      providerMessageId: `${ALICE}_1`,
    });

    const r = await reply(conv.id, 'Заказ в пути, будет завтра', 'r-1');
    expect(r.statusCode, r.body).toBe(202);
    await settle();
    const dialog = sandbox.dialog(group.groupId, ALICE);
    expect(dialog.map((m) => [m.out, m.text])).toEqual([
      [0, 'Где мой заказ? &lt;3'],
      [1, 'Заказ в пути, будет завтра'],
    ]);
    let msgs = await messagesOf(conv.id);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toMatchObject({
      id: r.json().id,
      deliveryStatus: 'sent',
      providerMessageId: `${ALICE}_id${dialog[1]!.id}`,
    });

    await sandbox.adminWrites(group.groupId, ALICE, 'Это менеджер, пишу из ВКонтакте');
    await settle();
    msgs = await messagesOf(conv.id);
    expect(msgs).toHaveLength(3);
    expect(msgs[2]).toMatchObject({
      direction: 'out',
      text: 'Это менеджер, пишу из ВКонтакте',
      deliveryStatus: 'sent',
      meta: { sentOutside: { by: 'VK community' } },
    });

    await sandbox.customerEdits(group.groupId, ALICE, 1, 'Где мой заказ №42?');
    await settle();
    msgs = await messagesOf(conv.id);
    expect(msgs[0]).toMatchObject({
      text: 'Где мой заказ №42?',
      meta: { edits: [{ text: 'Где мой заказ? <3' }] },
    });
    expect(msgs).toHaveLength(3);
  });

  it('a long reply is split at 4096; a retried send repeats its random_id and VK drops the repeat', async () => {
    await connect();
    await sandbox.customerWrites(group.groupId, ALICE, { text: 'Расскажите подробно' });
    await settle();
    const [conv] = await conversations();
    const long = `${'Подробный ответ. '.repeat(300)}Конец.`;
    // The first part goes through, the second meets VK's flood control (error 9): retried with backoff.
    sandbox.failNextSends(group.groupId, null, { error_code: 9, error_msg: 'Flood control' });
    const r = await reply(conv.id, long, 'r-long');
    await settle();
    expect((await messagesOf(conv.id)).at(-1)).toMatchObject({ deliveryStatus: 'queued' });
    t.clock.advance(3_600_000);
    await settle();
    const calls = sandbox.sendLog.filter((c) => c.groupId === group.groupId).slice(-4);
    expect(calls.map((c) => c.outcome)).toEqual(['sent', 9, 'dropped', 'sent']);
    expect(calls[2]!.randomId).toBe(calls[0]!.randomId);
    expect(calls[3]!.randomId).toBe(calls[1]!.randomId);
    const out = sandbox.dialog(group.groupId, ALICE).filter((m) => m.out === 1);
    expect(out).toHaveLength(2);
    expect(out.map((m) => m.text).join('')).toBe(long);
    expect(out.every((m) => m.text.length <= 4096)).toBe(true);
    const mine = (await messagesOf(conv.id)).find((m) => m.id === r.json().id);
    expect(mine).toMatchObject({ deliveryStatus: 'sent', error: null });
    // Neither part's echo became a message of its own.
    expect(await messagesOf(conv.id)).toHaveLength(2);
  });

  it('media both ways: photo (largest size), voice, document, sticker, geo, forwards; an operator’s photo goes through the upload server', async () => {
    await connect();
    await sandbox.customerWrites(group.groupId, ALICE, { photo: JPEG, text: 'чек' });
    await sandbox.customerWrites(group.groupId, ALICE, { voice: OGG });
    await sandbox.customerWrites(group.groupId, ALICE, {
      doc: { bytes: Buffer.from('%PDF-1.4 invoice'), title: 'счёт.pdf' },
    });
    await sandbox.customerWrites(group.groupId, ALICE, { sticker: 9011 });
    await sandbox.customerWrites(group.groupId, ALICE, { geo: { latitude: 55.75, longitude: 37.61 } });
    await sandbox.customerWrites(group.groupId, ALICE, { text: 'вот это', forward: [1], replyTo: 5 });
    await settle();
    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs.map((m) => m.contentKind)).toEqual([
      'image',
      'voice',
      'document',
      'sticker',
      'location',
      'text',
    ]);
    expect(msgs[0]).toMatchObject({ text: 'чек', attachments: [{ kind: 'image' }] });
    expect(msgs[4]).toMatchObject({
      text: '55.75, 37.61',
      meta: { location: { latitude: 55.75, longitude: 37.61 } },
    });
    expect(msgs[5]!.text).toBe('вот это\n> Forwarded:\n> чек');
    expect(msgs[5]).toMatchObject({ meta: { replyTo: `${ALICE}_5`, forwarded: [{ fromId: ALICE }] } });
    expect(msgs[5]!.attachments).toHaveLength(1);
    const stored = await t.ctx.db.kysely
      .selectFrom('attachments')
      .select(['kind', 'download_status'])
      .orderBy('created_at')
      .execute();
    expect(stored.filter((a) => a.download_status === 'stored')).toHaveLength(stored.length);

    const uploadId = await uploadPng(t, PNG);
    const r = await reply(conv.id, 'Вот фото', 'r-photo', { attachments: [{ uploadId }] });
    expect(r.statusCode, r.body).toBe(202);
    await settle();
    const sent = sandbox.dialog(group.groupId, ALICE).filter((m) => m.out === 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ text: 'Вот фото', attachments: [{ type: 'photo' }] });
    expect(sandbox.uploads.bytesOf(sent[0]!.attachments[0]!)?.equals(PNG)).toBe(true);
    expect((await messagesOf(conv.id)).at(-1)).toMatchObject({ deliveryStatus: 'sent' });
  });

  it('message_deny stops every reply, message_allow lets them through again', async () => {
    await connect();
    await sandbox.customerWrites(group.groupId, ALICE, { text: 'Привет' });
    await settle();
    const [conv] = await conversations();
    await sandbox.customerDenies(group.groupId, ALICE);
    await settle();
    const refused = await reply(conv.id, 'Вы тут?', 'r-deny');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('opted_out');
    const consent = (await as(t.admin, 'GET', `/api/v1/contacts/${conv.contact.id}/consent`)).json().items;
    expect(consent).toEqual([
      expect.objectContaining({
        scope: 'vk',
        status: 'opted_out',
        optOutVia: 'provider',
        optOutSource: 'vk:message_deny',
      }),
    ]);
    const note = (await messagesOf(conv.id)).find((m) => m.meta?.event === 'consent');
    expect(note).toMatchObject({ contentKind: 'system', meta: { action: 'opt_out', scope: 'vk' } });

    await sandbox.customerAllows(group.groupId, ALICE, 'promo');
    await settle();
    const ok = await reply(conv.id, 'Спасибо, что вернулись', 'r-allow');
    expect(ok.statusCode).toBe(202);
    await settle();
    expect(
      sandbox
        .dialog(group.groupId, ALICE)
        .filter((m) => m.out === 1)
        .map((m) => m.text),
    ).toEqual(['Спасибо, что вернулись']);
  });

  it('VK errors: 901 final with a reason, 5 marks the channel’s token, 6 retried; a group chat is one conversation', async () => {
    await connect();
    await sandbox.customerWrites(group.groupId, ALICE, { text: 'Вопрос' });
    await settle();
    const [conv] = await conversations();
    sandbox.failNextSends(group.groupId, {
      error_code: 901,
      error_msg: "Can't send messages for users without permission",
    });
    const a = await reply(conv.id, 'Ответ', 'e-901');
    await settle();
    expect((await messagesOf(conv.id)).find((m) => m.id === a.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: {
        code: 'not_allowed',
        message: expect.stringMatching(/has not allowed messages from the community.*\(error 901\)$/),
      },
    });
    sandbox.failNextSends(group.groupId, { error_code: 6, error_msg: 'Too many requests per second' });
    const b = await reply(conv.id, 'Ответ 2', 'e-6');
    await settle();
    expect((await messagesOf(conv.id)).find((m) => m.id === b.json().id)).toMatchObject({
      deliveryStatus: 'queued',
    });
    t.clock.advance(3_600_000);
    await settle();
    expect((await messagesOf(conv.id)).find((m) => m.id === b.json().id)).toMatchObject({
      deliveryStatus: 'sent',
    });
    sandbox.failNextSends(group.groupId, {
      error_code: 5,
      error_msg: 'User authorization failed: invalid access_token (4).',
    });
    const c = await reply(conv.id, 'Ответ 3', 'e-5');
    await settle();
    expect((await messagesOf(conv.id)).find((m) => m.id === c.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'invalid_token' },
    });
    const ch = (await as(t.admin, 'GET', `/api/v1/channels/${channelId}`)).json();
    expect(ch.health).toMatchObject({ issue: 'token_invalid' });

    const chat = sandbox.createChat(group.groupId, 'Оптовики', [ALICE, BORIS]);
    await sandbox.customerWrites(group.groupId, ALICE, { text: 'Всем привет' }, chat);
    await sandbox.customerWrites(group.groupId, BORIS, { text: 'И вам' }, chat);
    await settle();
    const chatConv = (await conversations()).find((x: { id: string }) => x.id !== conv.id);
    expect(chatConv).toMatchObject({ contact: { name: 'Оптовики' } });
    const chatMsgs = await messagesOf(chatConv.id);
    expect(chatMsgs.map((m) => [m.text, (m.meta.author as { id: string }).id])).toEqual([
      ['Всем привет', String(ALICE)],
      ['И вам', String(BORIS)],
    ]);
    const g = await reply(chatConv.id, 'Добро пожаловать', 'chat-1');
    expect(g.statusCode).toBe(202);
    await settle();
    expect(sandbox.dialog(group.groupId, chat).map((m) => m.text)).toEqual([
      'Всем привет',
      'И вам',
      'Добро пожаловать',
    ]);
    expect(await messagesOf(chatConv.id)).toHaveLength(3);
  });
});
