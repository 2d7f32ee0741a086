import { eventEnvelopeSchema } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCallbackServer } from '../../../test/fake-callback-server.ts';
import { seedUser } from '../../../test/seed.ts';
import { channelKit } from '../../../test/channel-kit.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { readmeNodeVerifier } from '../webhooks/readme-verifiers.ts';

const dialects = await testDialects();

describe.each(dialects)('bots with hand-off (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  /** The bot's own server: a real HTTP receiver of its signed deliveries. */
  let botServer: FakeCallbackServer;
  let channel: { id: string; secret: string };
  const _n = 0;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
    t = await createTestApp(dialect, { clock });
    botServer = await new FakeCallbackServer().start();
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' });
    channel = { id: res.json().id, secret: res.json().connection.secret };
  });
  afterEach(async () => {
    await botServer.stop();
    await t.close();
  });

  async function inbound(contact: string, text: string, on = channel): Promise<void> {
    await channelKit(t).inbound(on, contact, text);
  }

  const asBot = (token: string, method: string, url: string, body?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  async function agentBot(extra: Record<string, unknown> = {}) {
    const res = await t.as(t.admin, 'POST', '/api/v1/bots', {
      name: 'Parcel bot',
      url: botServer.url,
      channelIds: [channel.id],
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; secret: string };
  }

  async function conversationOf(contact: string) {
    const list = (await t.as(t.admin, 'GET', '/api/v1/conversations?limit=50')).json();
    const c = list.items.find((i: { contact: { name: string } }) => i.contact.name === contact);
    expect(c, contact).toBeTruthy();
    return (await t.as(t.admin, 'GET', `/api/v1/conversations/${c.id}`)).json();
  }

  const messages = async (convId: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items as Array<
      Record<string, unknown>
    >;

  const bodies = () =>
    botServer.received.map((r) => r.body as { type: string; data: Record<string, unknown> });

  it('creates, lists, changes and removes bots; token and secret shown once; bad input refused', async () => {
    const bot = await agentBot();
    expect(bot.token).toMatch(/^sbt_/);
    expect(bot.secret).toMatch(/^whsec_/);
    const list = (await t.as(t.admin, 'GET', '/api/v1/bots')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      name: 'Parcel bot',
      kind: 'agent',
      url: botServer.url,
      channelIds: [channel.id],
      replyTimeoutSeconds: 30,
      active: true,
    });
    expect(JSON.stringify(list)).not.toContain(bot.token);
    expect(JSON.stringify(list)).not.toContain(bot.secret);
    // Its endpoint and token are the bot's, not the account's webhooks and tokens.
    expect((await t.as(t.admin, 'GET', '/api/v1/webhooks')).json().items).toHaveLength(0);
    expect(JSON.stringify((await t.as(t.admin, 'GET', '/api/v1/tokens')).json())).not.toContain('Parcel bot');

    const put = await t.as(t.admin, 'PUT', `/api/v1/bots/${bot.id}`, {
      name: 'Parcels',
      handoffKeywords: ['agent'],
      replyTimeoutSeconds: 60,
    });
    expect(put.json()).toMatchObject({
      name: 'Parcels',
      handoffKeywords: ['agent'],
      replyTimeoutSeconds: 60,
    });

    const bad: Array<[unknown, number]> = [
      [{ name: 'No URL', channelIds: [] }, 400],
      [{ name: 'Private', url: 'http://10.1.2.3/bot', channelIds: [] }, 400],
      [{ name: 'Menu without menu', kind: 'menu', channelIds: [] }, 400],
      [{ name: 'Ghost channel', url: botServer.url, channelIds: ['nope'] }, 400],
      [{ name: 'Second', url: botServer.url, channelIds: [channel.id] }, 409],
    ];
    for (const [body, status] of bad) {
      const res = await t.as(t.admin, 'POST', '/api/v1/bots', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBeTruthy();
    }
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    expect((await t.as(op, 'GET', '/api/v1/bots')).json().error.code).toBe('forbidden');

    // Every route is in the OpenAPI description, with what the bot receives under `webhooks`.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/v1/bots',
      '/api/v1/bots/{id}',
      '/api/v1/bots/{id}/deliveries',
      '/api/v1/conversations/{id}/handoff',
    ])
      expect(doc.paths[path], path).toBeTruthy();
    expect(doc.webhooks['message.created']).toBeTruthy();

    expect((await asBot(bot.token, 'GET', '/api/v1/conversations')).statusCode).toBe(200);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/bots/${bot.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/bots/${bot.id}`)).statusCode).toBe(404);
    expect((await asBot(bot.token, 'GET', '/api/v1/conversations')).statusCode).toBe(401);
  });

  it('a bot holds a new conversation, hears it signed, answers as the bot (no first response), hands off with a note', async () => {
    const bot = await agentBot();
    await inbound('ann', 'Where is my parcel?');
    const conv = await conversationOf('ann');
    expect(conv.status).toBe('bot');
    expect(conv.assigneeId).toBeNull();
    expect((await t.as(t.admin, 'GET', '/api/v1/conversations?status=bot')).json().items).toHaveLength(1);

    expect(bodies().map((b) => b.type)).toEqual(['conversation.created', 'message.created']);
    const verify = await readmeNodeVerifier();
    for (const r of botServer.received) {
      expect(verify(bot.secret, r.headers, r.raw)).toBe(true);
      expect(r.headers['x-switchboard-delivery']).toBeTruthy();
    }
    const msg = eventEnvelopeSchema('message.created').parse(JSON.parse(botServer.received[1]!.raw));
    expect(msg.data).toMatchObject({ text: 'Where is my parcel?', direction: 'in', conversationId: conv.id });

    // The bot answers through the normal messages API with its token.
    const reply = await asBot(bot.token, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Your parcel is on its way',
      clientMessageId: 'bot-1',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    expect(reply.json()).toMatchObject({
      authorKind: 'bot',
      authorId: bot.id,
      direction: 'out',
      meta: { bot: { name: 'Parcel bot' } },
    });
    await t.drainJobs();
    const after = await conversationOf('ann');
    expect(after.firstResponseAt).toBeNull();
    expect(after.status).toBe('bot');
    // Its own message comes back to it as an event too (direction out, author bot).
    expect(bodies().at(-1)).toMatchObject({ type: 'message.created', data: { authorKind: 'bot' } });
    const overview = (
      await t.as(t.admin, 'GET', '/api/v1/reports/overview?from=2026-01-05&to=2026-01-05&tz=UTC')
    ).json();
    expect(overview.firstResponse.count).toBe(0);
    expect(overview.messages.outbound).toBe(0);

    // The bot cannot see or write to a conversation on another channel.
    const other = (await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Other' })).json();
    await inbound('zed', 'Hi', { id: other.id, secret: other.connection.secret });
    const zed = await conversationOf('zed');
    expect(zed.status).toBe('open');
    expect((await asBot(bot.token, 'GET', `/api/v1/conversations/${zed.id}`)).statusCode).toBe(404);
    const intrude = await asBot(bot.token, 'POST', `/api/v1/conversations/${zed.id}/messages`, {
      text: 'x',
      clientMessageId: 'z',
    });
    expect(intrude.statusCode).toBe(404);

    const parcels = (await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Parcels' })).json();
    const handoff = await asBot(bot.token, 'POST', `/api/v1/conversations/${conv.id}/handoff`, {
      team: parcels.id,
      note: 'Customer asks about a lost parcel, order 123',
    });
    expect(handoff.statusCode, handoff.body).toBe(200);
    expect(handoff.json()).toMatchObject({ status: 'open', teamId: parcels.id });
    const note = (await messages(conv.id)).find((m) => m.private === true);
    expect(note).toMatchObject({ authorKind: 'bot', text: 'Customer asks about a lost parcel, order 123' });
    await t.drainJobs();

    const heard = botServer.received.length;
    await inbound('ann', 'Hello?');
    expect(botServer.received.length).toBe(heard);
    const late = await asBot(bot.token, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'still me',
      clientMessageId: 'bot-2',
    });
    expect(late.statusCode).toBe(409);
    expect((await asBot(bot.token, 'POST', `/api/v1/conversations/${conv.id}/handoff`, {})).statusCode).toBe(
      409,
    );

    // A person's reply is the first response.
    await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Hi, I am Ann from support',
      clientMessageId: 'op-1',
    });
    await t.drainJobs();
    expect((await conversationOf('ann')).firstResponseAt).not.toBeNull();
    const o2 = (
      await t.as(t.admin, 'GET', '/api/v1/reports/overview?from=2026-01-05&to=2026-01-05&tz=UTC')
    ).json();
    expect(o2.firstResponse.count).toBe(1);
  });

  it('the customer asking for a person hands off; the bot does not hear that message', async () => {
    await agentBot();
    await inbound('bob', 'Hi');
    await inbound('bob', '  Оператор! ');
    const conv = await conversationOf('bob');
    expect(conv.status).toBe('open');
    expect(bodies().some((b) => b.data.text === '  Оператор! ')).toBe(false);
    const s = await t.ctx.db.kysely.selectFrom('bot_sessions').selectAll().executeTakeFirstOrThrow();
    expect(s.end_reason).toBe('keyword');
  });

  it('a bot that does not answer within its timeout hands off by itself (a durable job); one that answers keeps it', async () => {
    const bot = await agentBot({ replyTimeoutSeconds: 10 });
    await inbound('cid', 'Hello');
    await inbound('dan', 'Hello');
    const dan = await conversationOf('dan');
    await asBot(bot.token, 'POST', `/api/v1/conversations/${dan.id}/messages`, {
      text: 'Hi Dan',
      clientMessageId: 'd1',
    });
    clock.advance(9_000);
    await t.drainJobs();
    expect((await conversationOf('cid')).status).toBe('bot');
    const due = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('type')
      .where('type', '=', 'bot.reply-timeout')
      .execute();
    expect(due.length).toBeGreaterThan(0);
    clock.advance(2_000);
    await t.drainJobs();
    expect((await conversationOf('cid')).status).toBe('open');
    expect((await conversationOf('dan')).status).toBe('bot');
  });

  it('operators take over by replying or assigning; the statuses are in the events', async () => {
    await agentBot();
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op: Session = await t.login('op@example.com', 'operator-password');
    await inbound('eve', 'Hi');
    await inbound('fay', 'Hi');
    const eve = await conversationOf('eve');
    const r = await t.as(op, 'POST', `/api/v1/conversations/${eve.id}/messages`, {
      text: 'I am here',
      clientMessageId: 'x1',
    });
    expect(r.statusCode, r.body).toBe(202);
    expect(await conversationOf('eve')).toMatchObject({ status: 'open', assigneeId: op.userId });
    const fay = await conversationOf('fay');
    const p = await t.as(op, 'PATCH', `/api/v1/conversations/${fay.id}`, { assigneeId: op.userId });
    expect(p.json()).toMatchObject({ status: 'open', assigneeId: op.userId });
    const sessions = await t.ctx.db.kysely.selectFrom('bot_sessions').select('end_reason').execute();
    expect(sessions.map((s) => s.end_reason).sort()).toEqual(['operator', 'operator']);
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('type', '=', 'conversation.updated')
      .execute();
    const statuses = events.map((e) => JSON.parse(e.payload) as { id: string; status: string });
    expect(statuses.some((s) => s.id === fay.id && s.status === 'open')).toBe(true);
    // Nobody sets `bot` by hand.
    const inbound2 = await t.as(op, 'PATCH', `/api/v1/conversations/${fay.id}`, { status: 'bot' });
    expect(inbound2.statusCode).toBe(400);
  });

  it('the menu bot greets with numbered options and runs the chosen one', async () => {
    const team = (await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Returns' })).json();
    const res = await t.as(t.admin, 'POST', '/api/v1/bots', {
      name: 'Menu',
      kind: 'menu',
      channelIds: [channel.id],
      menu: {
        greeting: 'Hello! Choose:',
        options: [
          { title: 'Opening hours', action: 'reply', reply: 'We are open 9 to 18' },
          { title: 'Returns', action: 'team', teamId: team.id },
          { title: 'Refund', action: 'label', label: 'refund' },
          { title: 'A person', action: 'handoff' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ token: null, secret: null, kind: 'menu' });
    await inbound('gus', 'hi');
    const conv = await conversationOf('gus');
    expect(conv.status).toBe('bot');
    let out = (await messages(conv.id)).filter((m) => m.direction === 'out');
    expect(out.at(-1)).toMatchObject({
      authorKind: 'bot',
      text: 'Hello! Choose:\n\n1. Opening hours\n2. Returns\n3. Refund\n4. A person',
    });
    await inbound('gus', '1');
    out = (await messages(conv.id)).filter((m) => m.direction === 'out');
    expect(String(out.at(-1)!.text)).toMatch(/^We are open 9 to 18\n\n1\. Opening hours/);
    await inbound('gus', 'what?');
    expect((await conversationOf('gus')).status).toBe('bot');
    await inbound('gus', '2');
    expect(await conversationOf('gus')).toMatchObject({ status: 'open', teamId: team.id });

    await inbound('hal', 'hi');
    await inbound('hal', '3');
    expect(await conversationOf('hal')).toMatchObject({ status: 'open', labels: ['refund'] });
  });
});
