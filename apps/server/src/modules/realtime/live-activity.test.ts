import type { AddressInfo } from 'node:net';
import {
  type ConversationViewers,
  type LiveViewer,
  type Role,
  SOCKET,
  type TypingSignal,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redisReachable, waitUntil } from '../../../test/node-services.ts';
import { SocketProbe } from '../../../test/socket-harness.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { TEST_REDIS_URL, testDialects } from '../../../test/test-db.ts';
import { buildApp } from '../../http/app.ts';
import type { EventBus } from '../../infra/bus/event-bus.port.ts';
import { MemoryBus } from '../../infra/bus/memory-bus.ts';
import { RedisBus } from '../../infra/bus/redis-bus.ts';
import { ManualClock } from '../../infra/clock.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { addMembership } from '../accounts/account.service.ts';
import { createSession } from '../auth/session.service.ts';
import { signApiBody } from '../channels/api/api-signature.ts';
import { WidgetGateway } from '../channels/widget/widget-gateway.ts';
import { createWidgetChannel, VisitorClient, VisitorSocket } from '../channels/widget/widget-test-kit.ts';
import { WIDGET_SOCKET } from '../channels/widget/widget-bus.ts';
import { LiveActivity, type LiveSink, TYPING_RELAY_MS, VIEW_TTL_MS } from './live-activity.ts';
import { SocketGateway } from './socket-gateway.ts';

const dialects = await testDialects();
const hasRedis = await redisReachable();

/** A console tab: records the ephemeral `viewers` and `typing` it is pushed, and can open a conversation. */
class LiveProbe {
  readonly viewers: ConversationViewers[] = [];
  readonly typing: TypingSignal[] = [];

  constructor(readonly probe: SocketProbe) {
    probe.socket.on(SOCKET.viewers, (v: ConversationViewers) => this.viewers.push(v));
    probe.socket.on(SOCKET.typing, (s: TypingSignal) => this.typing.push(s));
  }

  view(conversationId: string | null): Promise<{ ok: boolean; code?: string; viewers?: LiveViewer[] }> {
    return this.probe.socket.timeout(5000).emitWithAck(SOCKET.view, { conversationId });
  }

  /** The latest viewer list pushed for a conversation, as names. */
  names(conversationId: string): string[] | undefined {
    const last = this.viewers.filter((v) => v.conversationId === conversationId).pop();
    return last?.viewers.map((v) => v.name);
  }

  async waitForNames(conversationId: string, names: string[]): Promise<void> {
    await waitUntil(
      `viewers ${names.join(', ')} (have ${this.names(conversationId)?.join(', ')})`,
      () => JSON.stringify(this.names(conversationId)) === JSON.stringify(names),
    );
  }

  async waitForTyping(pred: (s: TypingSignal) => boolean): Promise<TypingSignal> {
    return waitUntil('a typing signal', () => this.typing.find(pred));
  }
}

/** One HTTP node (console and widget sockets) on a port. */
async function serve(app: FastifyInstance, ctx: TestApp['ctx']) {
  const gateway = new SocketGateway(ctx, app.server);
  const widget = new WidgetGateway(ctx, app.server);
  await gateway.start();
  await widget.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    async close() {
      await widget.close();
      await gateway.close();
    },
  };
}

function harness(dialect: Parameters<typeof createTestApp>[0], makeBus: () => Promise<EventBus>) {
  const h = {
    t: undefined as unknown as TestApp,
    clock: undefined as unknown as ManualClock,
    bus: undefined as unknown as EventBus,
    node: undefined as unknown as Awaited<ReturnType<typeof serve>>,
    cleanups: [] as (() => Promise<void> | void)[],
    n: 0,
  };
  beforeEach(async () => {
    h.clock = new ManualClock(Date.now());
    h.bus = await makeBus();
    h.t = await createTestApp(dialect, { clock: h.clock, bus: h.bus });
    h.node = await serve(h.t.app, h.t.ctx);
  });
  afterEach(async () => {
    for (const c of h.cleanups.splice(0).reverse()) await c();
    await h.node.close();
    await h.t.close();
    await h.bus.close();
  });
  return h;
}

describe.each(dialects)('Live presence and typing over Socket.IO (%s)', (dialect) => {
  const h = harness(dialect, async () => new MemoryBus());
  const k = () => h.t.ctx.db.kysely;

  async function addUser(name: string, role: Role = 'operator', teamIds: string[] = []) {
    const now = h.clock.now();
    const userId = newId(now);
    await k()
      .insertInto('users')
      .values({
        id: userId,
        account_id: h.t.admin.accountId,
        email: `${name.toLowerCase()}-${randomToken(4)}@example.com`,
        name,
        password_hash: 'not-used',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addMembership(k(), h.t.admin.accountId, userId, role, now);
    for (const teamId of teamIds)
      await k()
        .insertInto('team_members')
        .values({ team_id: teamId, user_id: userId, account_id: h.t.admin.accountId })
        .execute();
    const s = await createSession(h.t.ctx, userId, h.t.admin.accountId, {});
    const session: Session = {
      cookie: `sb_session=${s.token}`,
      csrf: s.csrfToken,
      userId,
      accountId: h.t.admin.accountId,
    };
    return { userId, token: s.token, session };
  }

  async function addTeam(name: string) {
    const id = newId(h.clock.now());
    await k()
      .insertInto('teams')
      .values({ id, account_id: h.t.admin.accountId, name, created_at: h.clock.now() })
      .execute();
    return id;
  }

  async function tab(creds: { token?: string; cookie?: string }, url = h.node.url): Promise<LiveProbe> {
    const probe = await SocketProbe.connect(url, creds);
    h.cleanups.push(() => probe.close());
    return new LiveProbe(probe);
  }

  /** A conversation on an API channel (optionally a team's), made by a signed inbound message. */
  async function conversation(teamId: string | null = null): Promise<string> {
    const res = await h.t.as(h.t.admin, 'POST', '/api/v1/channels', {
      type: 'api',
      name: `Shop ${++h.n}`,
      settings: {},
    });
    const channel = { id: res.json().id as string, secret: res.json().connection.secret as string };
    if (teamId)
      await k().updateTable('channels').set({ team_id: teamId }).where('id', '=', channel.id).execute();
    const raw = JSON.stringify({
      eventId: `evt-${randomToken(6)}`,
      contact: { externalId: `cust-${++h.n}`, name: 'Maria' },
      message: { externalId: `m-${randomToken(6)}`, text: 'hello' },
    });
    const hook = await h.t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channel.id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(channel.secret, raw),
      },
      payload: raw,
    });
    expect(hook.statusCode).toBe(200);
    await h.t.drainJobs();
    const row = await k()
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const eventSeq = async () =>
    (
      await k()
        .selectFrom('accounts')
        .select('event_seq')
        .where('id', '=', h.t.admin.accountId)
        .executeTakeFirstOrThrow()
    ).event_seq;

  it('shows who else has a conversation open, and forgets a tab that navigates away or closes', async () => {
    const convId = await conversation();
    const other = await conversation();
    const bob = await addUser('Bob');
    const seq0 = await eventSeq();
    const ada = await tab({ cookie: h.t.admin.cookie });
    const bobTab = await tab({ token: bob.token });

    const first = await ada.view(convId);
    expect(first).toEqual({ ok: true, viewers: [{ userId: h.t.admin.userId, name: 'Ada Admin' }] });
    const second = await bobTab.view(convId);
    expect(second.viewers?.map((v) => v.name)).toEqual(['Ada Admin', 'Bob']);
    await ada.waitForNames(convId, ['Ada Admin', 'Bob']);

    // Bob opens another conversation: he leaves this one.
    expect((await bobTab.view(other)).viewers?.map((v) => v.name)).toEqual(['Bob']);
    await ada.waitForNames(convId, ['Ada Admin']);
    // Back, then the tab closes.
    await bobTab.view(convId);
    await ada.waitForNames(convId, ['Ada Admin', 'Bob']);
    bobTab.probe.close();
    await ada.waitForNames(convId, ['Ada Admin']);
    // Closing the conversation (view null) counts too; Ada's second tab sees her first one go.
    const adaSecond = await tab({ cookie: h.t.admin.cookie });
    await adaSecond.view(convId);
    expect(await ada.view(null)).toEqual({ ok: true, viewers: [] });
    expect((await adaSecond.view(convId)).viewers?.map((v) => v.name)).toEqual(['Ada Admin']);
    // Presence is never written to the account's event log.
    expect(await eventSeq()).toBe(seq0);
  });

  it('keeps presence and typing within the teams that may see the conversation', async () => {
    const sales = await addTeam('Sales');
    const support = await addTeam('Support');
    const convId = await conversation(sales);
    const seller = await addUser('Sam', 'operator', [sales]);
    const outsider = await addUser('Olga', 'operator', [support]);
    const samTab = await tab({ token: seller.token });
    const olgaTab = await tab({ token: outsider.token });

    expect(await olgaTab.view(convId)).toEqual({ ok: false, code: 'not_found' });
    expect(await olgaTab.view('x'.repeat(65))).toEqual({ ok: false, code: 'validation_error' });
    expect((await samTab.view(convId)).viewers?.map((v) => v.name)).toEqual(['Sam']);
    const ada = await tab({ cookie: h.t.admin.cookie });
    await ada.view(convId);
    await samTab.waitForNames(convId, ['Ada Admin', 'Sam']);

    const typed = await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${convId}/typing`, {
      typing: true,
      private: true,
    });
    expect(typed.statusCode).toBe(204);
    const signal = await samTab.waitForTyping((s) => s.typing);
    expect(signal).toMatchObject({
      conversationId: convId,
      who: { kind: 'user', userId: h.t.admin.userId, name: 'Ada Admin' },
      private: true,
    });
    expect(signal.ttlMs).toBeGreaterThan(0);
    // Olga may not see the conversation: she may not signal typing in it either.
    expect(
      (await h.t.as(outsider.session, 'POST', `/api/v1/conversations/${convId}/typing`, {})).statusCode,
    ).toBe(404);

    // Transferred to a team Sam is not in: he leaves its presence and hears nothing more of it.
    const moved = await h.t.as(h.t.admin, 'PATCH', `/api/v1/conversations/${convId}`, { teamId: support });
    expect(moved.statusCode, moved.body).toBe(200);
    await samTab.waitForNames(convId, []);
    await ada.waitForNames(convId, ['Ada Admin']);
    const before = samTab.typing.length;
    h.clock.advance(TYPING_RELAY_MS);
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${convId}/typing`, { typing: true });
    await ada.waitForTyping((s) => s.who.kind === 'user' && !s.private);
    await samTab.probe.sync();
    expect(samTab.typing).toHaveLength(before);
  });

  it("relays a widget visitor's typing to the operators who have the conversation open, throttled", async () => {
    const channel = await createWidgetChannel(h.t);
    const visitor = new VisitorClient(h.t, channel.id);
    await visitor.session({ name: 'Vera Visitor' });
    const socket = await VisitorSocket.connect(h.node.url, { channelId: channel.id, token: visitor.token });
    h.cleanups.push(() => socket.close());
    // Before the first message there is no conversation: typing goes nowhere.
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    expect((await visitor.send('client-msg-1', 'Hi there')).statusCode).toBe(202);
    await h.t.drainJobs();
    const conv = await k()
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    const ada = await tab({ cookie: h.t.admin.cookie });
    await ada.view(conv.id);
    const seqBefore = await eventSeq();

    h.clock.advance(TYPING_RELAY_MS);
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    const signal = await ada.waitForTyping((s) => s.typing);
    expect(signal).toEqual({
      conversationId: conv.id,
      who: { kind: 'contact', name: 'Vera Visitor' },
      typing: true,
      private: false,
      ttlMs: expect.any(Number),
    });
    // A burst of keystrokes in the same moment is one signal; "stopped" always goes through.
    for (let i = 0; i < 5; i++) socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: false });
    await ada.waitForTyping((s) => !s.typing);
    expect(ada.typing.map((s) => s.typing)).toEqual([true, false]);
    // The operator's own typing reaches the visitor; a private note's does not.
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${conv.id}/typing`, {
      typing: true,
      private: true,
    });
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${conv.id}/typing`, { typing: true });
    await waitUntil('operator typing in the widget', () => socket.typing.length > 0);
    expect(socket.typing).toEqual([{ typing: true, name: 'Ada Admin' }]);
    expect(await eventSeq()).toBe(seqBefore);
  });
});

describe('Live activity between nodes (in-process bus)', () => {
  /** A node's relay with its sockets replaced by a list of what they would be sent. */
  function relay(bus: EventBus, clock: ManualClock) {
    const seen: { conversationId: string; event: string; payload: unknown }[] = [];
    const sink: LiveSink = {
      toViewers: (_a, conversationId, event, payload) => seen.push({ conversationId, event, payload }),
    };
    const ctx = { bus, clock, log: { warn() {} } } as unknown as ConstructorParameters<
      typeof LiveActivity
    >[0];
    return { live: new LiveActivity(ctx, sink), seen };
  }
  const names = (seen: { payload: unknown }[]) =>
    (seen.at(-1)?.payload as ConversationViewers | undefined)?.viewers.map((v) => v.name);

  it("learns a running node's viewers when it starts, and forgets a node that stopped answering", async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(1_000_000);
    const a = relay(bus, clock);
    await a.live.start();
    a.live.setView('s1', { accountId: 'acc', conversationId: 'c1', userId: 'u1', name: 'Ada' });
    const b = relay(bus, clock);
    await b.live.start(); // says hello; A answers with its list
    await waitUntil('A announced to B', () => b.live.viewersOf('acc', 'c1').length === 1);
    b.live.setView('s2', { accountId: 'acc', conversationId: 'c1', userId: 'u2', name: 'Bob' });
    await waitUntil('B announced to A', () => names(a.seen) && names(a.seen)!.length === 2);
    expect(names(a.seen)).toEqual(['Ada', 'Bob']);

    // B dies without a goodbye (no more heartbeats): after VIEW_TTL_MS A drops Bob and says so.
    await b.live.close().catch(() => {});
    await waitUntil('goodbye handled', () => names(a.seen)?.length === 1);
    const c = relay(bus, clock);
    await c.live.start();
    c.live.setView('s3', { accountId: 'acc', conversationId: 'c1', userId: 'u3', name: 'Cid' });
    await waitUntil('C seen', () => names(a.seen)?.length === 2);
    // C goes silent: unsubscribing its bus handler and timers without telling anyone.
    (c.live as unknown as { closed: boolean }).closed = true;
    clock.advance(VIEW_TTL_MS + 1);
    a.live.sweep();
    expect(names(a.seen)).toEqual(['Ada']);
    await a.live.close();
    await c.live.close();
    await bus.close();
  });
});

describe.skipIf(!hasRedis || !dialects.includes('postgres'))('Live activity on two nodes over Redis', () => {
  const prefix = `sblive:${randomToken(6)}:`;
  let second:
    | { app: FastifyInstance; bus: RedisBus; node: Awaited<ReturnType<typeof serve>>; stopped: boolean }
    | undefined;
  const h = harness('postgres', () => RedisBus.connect(TEST_REDIS_URL, prefix));
  afterEach(async () => {
    if (second && !second.stopped) await second.node.close();
    await second?.app.close();
    await second?.bus.close();
    second = undefined;
  });

  it('shows viewers and typing across nodes, and drops a tab whose node closed', async () => {
    // Node B: the same database, its own HTTP server, sockets and Redis connection.
    const bus = await RedisBus.connect(TEST_REDIS_URL, prefix);
    const app = await buildApp({ ...h.t.ctx, bus });
    const node = await serve(app, { ...h.t.ctx, bus });
    second = { app, bus, node, stopped: false };

    const res = await h.t.as(h.t.admin, 'POST', '/api/v1/channels', {
      type: 'widget',
      name: 'Site',
      settings: {},
    });
    const channelId: string = res.json().id;
    const visitor = new VisitorClient(h.t, channelId);
    await visitor.session({ name: 'Vera' });
    await visitor.send('client-msg-1', 'Hello from the site');
    await h.t.drainJobs();
    const conv = await h.t.ctx.db.kysely
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();

    const onA = new LiveProbe(await SocketProbe.connect(h.node.url, { cookie: h.t.admin.cookie }));
    h.cleanups.push(() => onA.probe.close());
    await onA.view(conv.id);
    const bob = await h.t.as(h.t.admin, 'POST', '/api/v1/users', {
      email: 'bob@example.com',
      password: 'bob-password-1',
      name: 'Bob',
      role: 'operator',
    });
    expect(bob.statusCode, bob.body).toBe(201);
    // Bob signs in once and chooses his own password (an admin-set one opens no live events).
    await h.t.login('bob@example.com', 'bob-password-1');
    const bobSession = await createSession(h.t.ctx, bob.json().id, h.t.admin.accountId, {});
    const bobOnB = new LiveProbe(await SocketProbe.connect(node.url, { token: bobSession.token }));
    h.cleanups.push(() => bobOnB.probe.close());
    expect((await bobOnB.view(conv.id)).ok).toBe(true);
    await onA.waitForNames(conv.id, ['Ada Admin', 'Bob']);
    await bobOnB.waitForNames(conv.id, ['Ada Admin', 'Bob']);

    // The visitor's socket is on node A; Bob on node B sees the typing.
    const socket = await VisitorSocket.connect(h.node.url, { channelId, token: visitor.token });
    h.cleanups.push(() => socket.close());
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    const t = await bobOnB.waitForTyping((x) => x.typing);
    expect(t.who).toEqual({ kind: 'contact', name: 'Vera' });

    // Node B shuts down: its goodbye removes Bob from Ada's list at once.
    second.stopped = true;
    await node.close();
    await onA.waitForNames(conv.id, ['Ada Admin']);
  });
});
