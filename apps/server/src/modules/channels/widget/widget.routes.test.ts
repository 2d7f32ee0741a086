import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { signInOtherAccount } from '../../../../test/other-account.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { identityHash } from './visitor-token.ts';
import { adminInbox } from '../channel-e2e-kit.ts';
import { VisitorClient, createWidgetChannel } from './widget-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('site widget visitor API (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: Date.now });
  let channel: { id: string; identitySecret: string; snippet: string };

  beforeEach(async () => {
    channel = await createWidgetChannel(t);
  });

  const { conversations, messagesOf: operatorMessages } = adminInbox(t);

  it('gives admins the snippet and identity secret; visitors get only the public config, from any site', async () => {
    expect(channel.snippet).toMatch(
      new RegExp(`^<script src="http://[^"/]+/widget\\.js" data-channel="${channel.id}" async></script>$`),
    );
    expect(channel.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    const v = new VisitorClient(t, channel.id);
    const config = await v.request('GET', '/config');
    expect(config.statusCode).toBe(200);
    expect(config.headers['access-control-allow-origin']).toBe('*');
    expect(config.json()).toMatchObject({
      channelId: channel.id,
      name: 'Site chat',
      color: '#2563eb',
      preChatForm: { enabled: false },
    });
    expect(JSON.stringify(config.json())).not.toContain(channel.identitySecret);
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/api/v1/widget/${channel.id}/messages`,
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-visitor-token',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-visitor-token');
    // Errors are readable cross-origin too, so the widget can tell what went wrong.
    const unknown = await new VisitorClient(t, '0190aaaa-0000-7000-8000-000000000000').request(
      'GET',
      '/config',
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
  });

  it('keeps an anonymous visitor across reloads with the stored token, and refuses forged tokens', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    expect(v.visitorId).toMatch(/^a:/);
    const first = v.visitorId;
    const resumed = await v.session({ name: 'Ann' });
    expect(v.visitorId).toBe(first);
    expect(resumed.json().profile).toEqual({ name: 'Ann', email: null, phone: null });
    await v.session({ email: 'ann@example.com' });
    expect((await v.session()).json().profile).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
      phone: null,
    });

    const forged = new VisitorClient(t, channel.id);
    forged.token = `${v.token.split('.')[0]}x.${v.token.split('.')[1]}`;
    expect((await forged.request('GET', '/messages')).statusCode).toBe(401);
    const none = new VisitorClient(t, channel.id);
    const r = await none.send('abcdefgh-1', 'hi');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthorized');
    // A forged token on /session starts a new anonymous visitor instead of resuming someone else.
    const fresh = await forged.session();
    expect(fresh.json().visitorId).not.toBe(first);
    expect((await v.request('POST', '/session', { email: 'not-an-email' })).statusCode).toBe(400);
  });

  it('recognises a signed user on every device and refuses a wrong hash', async () => {
    const hash = identityHash(channel.identitySecret, 'user-42');
    const laptop = new VisitorClient(t, channel.id);
    await laptop.session({ userId: 'user-42', userHash: hash, name: 'Boris', email: 'boris@example.com' });
    expect(laptop.visitorId).toBe('u:user-42');
    const phone = new VisitorClient(t, channel.id);
    // An anonymous token held by the phone is replaced by the signed identity.
    await phone.session();
    await phone.session({ userId: 'user-42', userHash: hash.toUpperCase() });
    expect(phone.visitorId).toBe('u:user-42');

    expect((await laptop.send('laptop-msg-1', 'from the laptop')).statusCode).toBe(202);
    expect((await phone.send('phone-msg-1', 'from the phone')).statusCode).toBe(202);
    await t.drainJobs();
    const convs = await conversations();
    expect(convs).toHaveLength(1);
    expect(convs[0].contact).toMatchObject({ name: 'Boris' });
    const contact = await t.ctx.db.kysely.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Boris', email: 'boris@example.com' });
    expect((await phone.messages()).items.map((m) => m.text)).toEqual(['from the laptop', 'from the phone']);

    const wrong = await new VisitorClient(t, channel.id).request('POST', '/session', {
      userId: 'user-42',
      userHash: identityHash('another-secret', 'user-42'),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_signature');
    const missing = await new VisitorClient(t, channel.id).request('POST', '/session', { userId: 'user-42' });
    expect(missing.json().error.code).toBe('invalid_signature');
    // Someone else's hash does not open another user's history.
    const other = await new VisitorClient(t, channel.id).request('POST', '/session', {
      userId: 'user-43',
      userHash: hash,
    });
    expect(other.statusCode).toBe(401);
  });

  it('refuses anonymous visitors when the channel requires identity', async () => {
    const strict = await createWidgetChannel(t, t.admin, { requireIdentity: true });
    const anon = await new VisitorClient(t, strict.id).request('POST', '/session', {});
    expect(anon.statusCode).toBe(401);
    const v = new VisitorClient(t, strict.id);
    await v.session({ userId: 'u1', userHash: identityHash(strict.identitySecret, 'u1') });
    expect(v.visitorId).toBe('u:u1');
  });

  it('stores a visitor message once per client id and runs it through the normal pipeline', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session({ name: '<b>Mallory</b>' });
    const text = 'Where is my order? <img src=x onerror=alert(1)>\u0000';
    const first = await v.send('client-msg-0001', text, { pageUrl: 'https://shop.example/cart?x=1' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ status: 'accepted', clientMessageId: 'client-msg-0001' });
    expect((await v.send('client-msg-0001', text)).statusCode).toBe(202);
    expect(await t.count('inbound_events')).toBe(1);
    await t.drainJobs();
    expect(await t.count('messages')).toBe(1);
    const [conv] = await conversations();
    expect(conv).toMatchObject({ channel: { type: 'widget' }, contact: { name: '<b>Mallory</b>' } });
    const [msg] = await operatorMessages(conv.id);
    expect(msg).toMatchObject({ direction: 'in', text: 'Where is my order? <img src=x onerror=alert(1)>' });
    // The same client id from another visitor is another message.
    const w = new VisitorClient(t, channel.id);
    await w.session();
    expect((await w.send('client-msg-0001', 'me too')).statusCode).toBe(202);
    await t.drainJobs();
    expect(await t.count('messages')).toBe(2);
    expect(await t.count('conversations')).toBe(2);
  });

  it('validates visitor input and enforces the pre-chat form', async () => {
    const form = await createWidgetChannel(t, t.admin, {
      preChatForm: { enabled: true, name: 'required', email: 'required' },
    });
    const v = new VisitorClient(t, form.id);
    await v.session();
    const blocked = await v.send('client-msg-0002', 'hello');
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.details).toEqual({ missing: ['name', 'email'] });
    await v.session({ name: 'Ann', email: 'ann@example.com' });
    expect((await v.send('client-msg-0002', 'hello')).statusCode).toBe(202);

    const cases: [unknown, number][] = [
      [{ clientMessageId: 'short', text: 'x' }, 400],
      [{ clientMessageId: 'has spaces in it', text: 'x' }, 400],
      [{ clientMessageId: 'client-msg-0003', text: '   ' }, 400],
      [{ clientMessageId: 'client-msg-0003', text: 'x'.repeat(10_001) }, 400],
      [{ clientMessageId: 'client-msg-0003', text: 'x', attachments: ['not-a-token'] }, 400],
    ];
    for (const [body, status] of cases) {
      const r = await v.request('POST', '/messages', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.json().error.code).toBe('validation_error');
    }
    expect(await t.count('inbound_events')).toBe(1);
  });

  it('rate-limits one visitor', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    for (let i = 0; i < 30; i++) expect((await v.send(`burst-msg-${i}`, `m${i}`)).statusCode).toBe(202);
    const over = await v.send('burst-msg-30', 'one too many');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('rate_limited');
    t.clock.advance(61_000);
    expect((await v.send('burst-msg-31', 'later')).statusCode).toBe(202);
  });

  it('replays history and catch-up after reconnect, operator replies included, notes never', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    await v.send('client-msg-1000', 'first');
    await t.drainJobs();
    const [conv] = await conversations();
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Hello from support',
      clientMessageId: 'op-1',
    });
    expect(reply.statusCode).toBe(202);
    await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'private note',
      clientMessageId: 'op-note',
      private: true,
    });
    // Queued (not yet handed to the widget): not shown yet.
    expect((await v.messages()).items.map((m) => m.text)).toEqual(['first']);
    await t.drainJobs();
    const history = (await v.messages()).items;
    expect(history.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'first'],
      ['out', 'Hello from support'],
    ]);
    expect(history[0]).toMatchObject({ clientMessageId: 'client-msg-1000', status: null });
    expect(history[1]).toMatchObject({ authorName: 'Ada Admin', status: 'sent', clientMessageId: null });

    // Reconnect later: only what changed since the last change seen comes back.
    const seen = Math.max(...history.map((m) => m.updatedAt));
    t.clock.advance(5000);
    await v.send('client-msg-1001', 'second');
    await t.drainJobs();
    const caughtUp = await v.messages(`?since=${seen + 1}`);
    expect(caughtUp.items.map((m) => m.text)).toEqual(['second']);
    expect(caughtUp.more).toBe(false);
  });

  it('pages a long catch-up with since + afterId', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    const since = t.clock.now();
    // Many messages in the same millisecond: the id breaks the tie.
    const { storeProviderEvents } = await import('../../inbound/inbound-store.ts');
    const row = await t.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow();
    await storeProviderEvents(
      t.ctx,
      row,
      Array.from({ length: 205 }, (_, i) => ({
        providerEventId: `msg:${v.visitorId}/bulk-${String(i).padStart(4, '0')}`,
        payload: {
          type: 'message',
          externalId: v.visitorId,
          clientMessageId: `bulk-${String(i).padStart(4, '0')}`,
          contact: {},
          text: `bulk ${i}`,
          attachments: [],
          pageUrl: null,
          sentAt: since,
        },
        orderKey: v.visitorId,
      })),
    );
    await t.drainJobs();
    const page1 = await v.messages(`?since=${since}`);
    expect(page1.items).toHaveLength(200);
    expect(page1.more).toBe(true);
    const last = page1.items[199]!;
    const page2 = await v.messages(`?since=${last.updatedAt}&afterId=${last.id}`);
    expect(page2.items).toHaveLength(5);
    expect(page2.more).toBe(false);
    expect(new Set([...page1.items, ...page2.items].map((m) => m.id)).size).toBe(205);
    // The first page of history is the latest 100, oldest first.
    const history = (await v.messages()).items;
    expect(history).toHaveLength(100);
    expect(history[99]!.text).toBe('bulk 204');
  });

  it('keeps the chat on the allowed sites when the admin lists them', async () => {
    const locked = await createWidgetChannel(t, t.admin, {
      allowedOrigins: ['https://shop.example/any/path'],
    });
    expect(
      (await new VisitorClient(t, locked.id, 'https://shop.example').request('GET', '/config')).statusCode,
    ).toBe(200);
    const evil = await new VisitorClient(t, locked.id, 'https://evil.example').request('GET', '/config');
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('forbidden');
  });

  it('isolates channels and accounts', async () => {
    const other = await createWidgetChannel(t);
    const v = new VisitorClient(t, channel.id);
    await v.session();
    await v.send('client-msg-3000', 'mine');
    await t.drainJobs();
    // A token of one channel is worth nothing on another.
    const onOther = new VisitorClient(t, other.id);
    onOther.token = v.token;
    expect((await onOther.request('GET', '/messages')).statusCode).toBe(401);
    expect((await onOther.session()).json().visitorId).not.toBe(v.visitorId);
    expect((await onOther.messages()).items).toEqual([]);

    // A second account: its admin sees nothing of the first, and cannot type into its conversations.
    const globex = await signInOtherAccount(t, {
      accountName: 'Globex',
      email: 'admin@globex.example',
      password: 'globex password 1',
      name: 'Gail',
    });
    const [conv] = await conversations();
    expect((await t.as(globex, 'GET', '/api/v1/conversations')).json().items).toEqual([]);
    expect((await t.as(globex, 'POST', `/api/v1/conversations/${conv.id}/typing`, {})).statusCode).toBe(404);
    const globexChannel = await createWidgetChannel(t, globex);
    const g = new VisitorClient(t, globexChannel.id);
    g.token = v.token;
    expect((await g.request('GET', '/messages')).statusCode).toBe(401);
    // Receipts naming another visitor's messages store nothing.
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'answer',
      clientMessageId: 'op-iso',
    });
    await t.drainJobs();
    const before = await t.count('inbound_events');
    const intruder = new VisitorClient(t, channel.id);
    await intruder.session();
    const r = await intruder.request('POST', '/receipts', { status: 'read', messageIds: [reply.json().id] });
    expect(r.json()).toEqual({ stored: 0, pending: [] });
    expect(await t.count('inbound_events')).toBe(before);
  });

  it('marks replies read through receipts, once', async () => {
    const v = new VisitorClient(t, channel.id);
    await v.session();
    await v.send('client-msg-4000', 'hi');
    await t.drainJobs();
    const [conv] = await conversations();
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'answer',
      clientMessageId: 'op-read',
    });
    const id = reply.json().id;
    // Still queued: nothing stored, the caller is told to try again.
    expect((await v.request('POST', '/receipts', { status: 'delivered', messageIds: [id] })).json()).toEqual({
      stored: 0,
      pending: [id],
    });
    await t.drainJobs();
    expect((await v.request('POST', '/receipts', { status: 'read', messageIds: [id] })).json()).toEqual({
      stored: 1,
      pending: [],
    });
    await t.drainJobs();
    const msgs = await operatorMessages(conv.id);
    expect(msgs.find((m: { id: string }) => m.id === id).deliveryStatus).toBe('read');
    // Read does not go back to delivered, and a repeated receipt stores nothing.
    const before = await t.count('inbound_events');
    expect(
      (await v.request('POST', '/receipts', { status: 'delivered', messageIds: [id] })).json().stored,
    ).toBe(0);
    expect((await v.request('POST', '/receipts', { status: 'read', messageIds: [id] })).json().stored).toBe(
      0,
    );
    expect(await t.count('inbound_events')).toBe(before);
  });
});
