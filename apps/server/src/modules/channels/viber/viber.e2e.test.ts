import { beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { ViberSandbox, signViber } from '../../../sandbox/viber-sandbox.ts';
import { adminInbox } from '../channel-e2e-kit.ts';

const dialects = await testDialects();
const MARIA = { id: 'bWFyaWEtdmliZXItaWQ=', name: 'Maria' };
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('viber png'),
]);

describe.each(dialects)('Viber through the sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new ViberSandbox());
  const { as, reply } = t;
  const settle = () => settleWith(sandbox, t);
  const { conversations, messagesOf } = adminInbox(t);
  let bot: { authToken: string };
  let channelId: string;
  let webhookUrl: string;

  beforeEach(() => {
    bot = sandbox.createBot('Acme bot');
  });

  const connect = async (settings: Record<string, unknown> = {}) => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'viber',
      name: 'Acme Viber',
      settings: { authToken: bot.authToken, apiBaseUrl: sandbox.apiBaseUrl, ...settings },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    webhookUrl = res.json().connection.webhookUrl;
    return res;
  };
  const byId = async (convId: string, id: string) =>
    (await messagesOf(convId)).find((m: { id: string }) => m.id === id);

  it('creation registers the webhook with set_webhook, answering its signed probe; deactivation removes it', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'viber',
      name: 'x',
      settings: { authToken: 'ffffffffffffffff-0000', apiBaseUrl: sandbox.apiBaseUrl },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^settings\.authToken: Viber does not accept/);
    const long = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'viber',
      name: 'x',
      settings: { authToken: bot.authToken, senderName: 'x'.repeat(29), apiBaseUrl: sandbox.apiBaseUrl },
    });
    expect(long.statusCode).toBe(400);
    expect(await t.count('channels')).toBe(0);

    const res = await connect();
    expect(webhookUrl).toBe(`${t.base}/webhooks/viber/${channelId}`);
    expect(res.body).not.toContain(bot.authToken);
    expect(sandbox.webhookOf(bot.authToken)).toBe(webhookUrl);
    const probe = sandbox.webhookLog.filter((l) => l.event === 'webhook').at(-1);
    expect(probe).toMatchObject({ url: webhookUrl, status: 200 });
    expect(await t.count('inbound_events')).toBe(0);

    expect((await as(t.admin, 'DELETE', `/api/v1/channels/${channelId}`)).statusCode).toBe(204);
    expect(sandbox.webhookOf(bot.authToken)).toBeNull();
    const back = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, { active: true });
    expect(back.statusCode, back.body).toBe(200);
    expect(sandbox.webhookOf(bot.authToken)).toBe(webhookUrl);
  });

  it('customer → console → reply → customer, with delivered and seen receipts on a token beyond 2^53', async () => {
    await connect({ senderName: 'Acme support' });
    expect(
      await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'Where is my parcel?' }),
    ).toBe(200);
    expect(
      await sandbox.customerSends(bot.authToken, MARIA, {
        type: 'picture',
        text: 'the label',
        bytes: PNG,
        mime: 'image/png',
      }),
    ).toBe(200);
    await settle();
    const [conv] = await conversations();
    expect(conv).toMatchObject({ channel: { type: 'viber' }, contact: { name: 'Maria' } });
    const inbound = await messagesOf(conv.id);
    expect(inbound.map((m: { contentKind: string; text: string }) => [m.contentKind, m.text])).toEqual([
      ['text', 'Where is my parcel?'],
      ['image', 'the label'],
    ]);
    const received = sandbox.history(bot.authToken, MARIA.id).filter((l) => l.from === 'customer');
    expect(inbound.map((m: { providerMessageId: string }) => m.providerMessageId)).toEqual(
      received.map((l) => l.id),
    );
    expect(BigInt(inbound[0].providerMessageId) > 2n ** 53n).toBe(true);

    const sent = await reply(conv.id, 'It left the warehouse today', 'v-1');
    expect(sent.statusCode, sent.body).toBe(202);
    await settle();
    const [out] = sandbox.sentTo(bot.authToken, MARIA.id);
    expect(out).toMatchObject({ text: 'It left the warehouse today' });
    let m = await byId(conv.id, sent.json().id);
    expect(m.providerMessageId).toBe(String(out!.token));
    expect(m.deliveryStatus).toBe('delivered');
    await sandbox.customerReads(bot.authToken, MARIA.id);
    await settle();
    m = await byId(conv.id, sent.json().id);
    expect(m.deliveryStatus).toBe('read');
  });

  it('unsubscribed stops every send until the customer subscribes or writes again', async () => {
    await connect();
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'hello' });
    await settle();
    const [conv] = await conversations();
    expect(await sandbox.customerUnsubscribes(bot.authToken, MARIA)).toBe(200);
    await settle();
    const note = (await messagesOf(conv.id)).find(
      (x: { meta?: { event?: string } }) => x.meta?.event === 'consent',
    );
    expect(note).toMatchObject({ meta: { action: 'opt_out', scope: 'viber', via: 'provider' } });
    expect(note.text).toMatch(/refused messages from the business on Viber/);
    const refused = await reply(conv.id, 'Still there?', 'v-refused');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('opted_out');
    expect(sandbox.sentTo(bot.authToken, MARIA.id)).toEqual([]);

    await sandbox.customerSubscribes(bot.authToken, MARIA);
    await settle();
    expect((await reply(conv.id, 'Welcome back', 'v-back')).statusCode).toBe(202);
    await settle();
    expect(sandbox.sentTo(bot.authToken, MARIA.id).map((l) => l.text)).toEqual(['Welcome back']);

    await sandbox.customerUnsubscribes(bot.authToken, MARIA);
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'one more question' });
    await settle();
    const contactId = conv.contact.id;
    const consent = (await as(t.admin, 'GET', `/api/v1/contacts/${contactId}/consent`)).json().items;
    expect(consent).toEqual([
      expect.objectContaining({ scope: 'viber', status: 'opted_in', optInSource: 'viber:message' }),
    ]);
  });

  it('STOP and СТАРТ work on Viber too (the one keyword engine), unless the channel turns them off', async () => {
    await connect();
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'hello' });
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'Stop!' });
    await settle();
    const [conv] = await conversations();
    const window = async () => (await as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(await window()).toMatchObject({ open: false, reason: 'opted_out' });
    const consentOf = async () =>
      (await as(t.admin, 'GET', `/api/v1/contacts/${conv.contact.id}/consent`)).json().items;
    expect(await consentOf()).toEqual([
      expect.objectContaining({
        scope: 'viber',
        status: 'opted_out',
        optOutVia: 'keyword',
        optOutSource: 'STOP',
      }),
    ]);
    // Writing again re-subscribes at Viber, but does not undo a STOP.
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'one more thing' });
    await settle();
    expect((await window()).reason).toBe('opted_out');
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'СТАРТ' });
    await settle();
    expect((await window()).open).toBe(true);

    const off = await as(t.admin, 'PUT', `/api/v1/channels/${channelId}/routing`, {
      consentKeywords: { enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'STOP' });
    await settle();
    expect((await window()).open).toBe(true);
    await as(t.admin, 'PUT', `/api/v1/channels/${channelId}/routing`, {
      consentKeywords: { enabled: true, optOut: ['хватит'] },
    });
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'Хватит' });
    await settle();
    expect(await window()).toMatchObject({ open: false, reason: 'opted_out' });
  });

  it("shows Viber's 24-hour session like a window; a reply outside it still goes, marked billable", async () => {
    await connect();
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'hi' });
    await settle();
    const [conv] = await conversations();
    const window = async () => (await as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    const w = await window();
    expect(w).toMatchObject({ open: true, reason: 'unlimited', session: { billable: false } });
    expect(w.session.closesAt).toBe(w.lastInboundAt + 24 * 3_600_000);
    const free = await reply(conv.id, 'inside the session', 'v-free');
    await settle();
    expect((await byId(conv.id, free.json().id)).meta.billable).toBeUndefined();

    const dayAgo = Date.now() - 25 * 3_600_000;
    await t.ctx.db.kysely.updateTable('conversations').set({ last_inbound_at: dayAgo }).execute();
    expect(await window()).toMatchObject({
      open: true,
      session: { billable: true, closesAt: dayAgo + 24 * 3_600_000 },
    });
    const billed = await reply(conv.id, 'outside the session', 'v-billed');
    expect(billed.statusCode).toBe(202);
    await settle();
    expect(await byId(conv.id, billed.json().id)).toMatchObject({
      deliveryStatus: 'delivered',
      meta: { billable: true },
    });
    expect(sandbox.sentTo(bot.authToken, MARIA.id).map((l) => l.text)).toEqual([
      'inside the session',
      'outside the session',
    ]);
  });

  it('sends a location and a contact card, each alone', async () => {
    await connect();
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'where are you?' });
    await settle();
    const [conv] = await conversations();
    const send = (body: object, id: string) =>
      as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, { ...body, clientMessageId: id });
    const loc = await send({ location: { latitude: 55.7558, longitude: 37.6173 } }, 'v-loc');
    expect(loc.statusCode, loc.body).toBe(202);
    const card = await send({ contact: { name: 'Acme desk', phone: '+74951234567' } }, 'v-card');
    expect(card.statusCode, card.body).toBe(202);
    expect((await send({ location: { latitude: 1, longitude: 2 }, text: 'x' }, 'v-bad')).statusCode).toBe(
      400,
    );
    await settle();
    expect(sandbox.sentTo(bot.authToken, MARIA.id).map((l) => l.text)).toEqual([
      '[location 55.7558, 37.6173]',
      '[contact Acme desk +74951234567]',
    ]);
    expect(await byId(conv.id, loc.json().id)).toMatchObject({
      contentKind: 'location',
      deliveryStatus: 'delivered',
    });
  });

  it('answers conversation_started with the configured welcome message only', async () => {
    await connect();
    expect(await sandbox.customerOpens(bot.authToken, MARIA)).toEqual({ status: 200, welcome: null });
    const patched = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, {
      settings: {
        senderName: 'Acme',
        welcomeMessage: 'Hi! Write to us any time.',
        apiBaseUrl: sandbox.apiBaseUrl,
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await sandbox.customerOpens(bot.authToken, MARIA)).toEqual({
      status: 200,
      welcome: 'Hi! Write to us any time.',
    });
    await settle();
    expect(await t.count('messages')).toBe(0);
  });

  it('status 6 fails for good, 12 is retried, 7 marks the channel for its admin', async () => {
    await connect();
    await sandbox.customerSends(bot.authToken, MARIA, { type: 'text', text: 'hi' });
    await settle();
    const [conv] = await conversations();
    sandbox.failNext(bot.authToken, 6);
    const a = await reply(conv.id, 'first', 'v-6');
    await settle();
    expect((await byId(conv.id, a.json().id)).error).toMatchObject({
      code: 'not_subscribed',
      message: expect.stringMatching(/has not subscribed/),
    });
    sandbox.failNext(bot.authToken, 12);
    const b = await reply(conv.id, 'second', 'v-12');
    await settle();
    expect((await byId(conv.id, b.json().id)).deliveryStatus).toBe('queued');
    await t.ctx.db.kysely.updateTable('jobs').set({ run_at: 0 }).execute();
    await settle();
    expect((await byId(conv.id, b.json().id)).deliveryStatus).toBe('delivered');
    sandbox.failNext(bot.authToken, 7);
    const c = await reply(conv.id, 'third', 'v-7');
    await settle();
    expect((await byId(conv.id, c.json().id)).error.code).toBe('account_blocked');
    const health = (await as(t.admin, 'GET', `/api/v1/channels/${channelId}`)).json().health;
    expect(health).toMatchObject({
      issue: 'account_blocked',
      detail: expect.stringMatching(/blocked this bot/),
    });
  });

  it('refuses unsigned and wrongly signed callbacks, storing nothing', async () => {
    await connect();
    const body = `{"event":"message","timestamp":${Date.now()},"message_token":9007199254740993123,"sender":{"id":"x","name":"Eve"},"message":{"type":"text","text":"hi"}}`;
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/webhooks/viber/${channelId}`,
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(403);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/webhooks/viber/${channelId}`,
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-viber-content-signature': signViber('other-token', body),
      },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('invalid_signature');
    expect(await t.count('inbound_events')).toBe(0);
  });
});
