import type { ConversationViewers } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { redisReachable, waitUntil } from '../../../test/node-services.ts';
import { SocketProbe } from '../../../test/socket-harness.ts';
import { TEST_REDIS_URL, testDialects } from '../../../test/test-db.ts';
import { buildApp } from '../../http/app.ts';
import type { EventBus } from '../../infra/bus/event-bus.port.ts';
import { MemoryBus } from '../../infra/bus/memory-bus.ts';
import { RedisBus } from '../../infra/bus/redis-bus.ts';
import { ManualClock } from '../../infra/clock.ts';
import { randomToken } from '../../infra/crypto/ids.ts';
import { createSession } from '../auth/session.service.ts';
import { VisitorClient, VisitorSocket } from '../channels/widget/widget-test-kit.ts';
import { WIDGET_SOCKET } from '../channels/widget/widget-bus.ts';
import { LiveActivity, type LiveSink, VIEW_TTL_MS } from './live-activity.ts';

import { LiveProbe, harness, serve } from './live-activity-harness.ts';

const dialects = await testDialects();
const hasRedis = await redisReachable();

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
