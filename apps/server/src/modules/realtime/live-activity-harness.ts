import type { AddressInfo } from 'node:net';
import { type ConversationViewers, type LiveViewer, SOCKET, type TypingSignal } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach } from 'vitest';
import { waitUntil } from '../../../test/node-services.ts';
import type { SocketProbe } from '../../../test/socket-harness.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import type { EventBus } from '../../infra/bus/event-bus.port.ts';
import { ManualClock } from '../../infra/clock.ts';
import { WidgetGateway } from '../channels/widget/widget-gateway.ts';
import { SocketGateway } from './socket-gateway.ts';

/** A console tab: records the ephemeral `viewers` and `typing` it is pushed, and can open a conversation. */
export class LiveProbe {
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
export async function serve(app: FastifyInstance, ctx: TestApp['ctx']) {
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

export function harness(dialect: Parameters<typeof createTestApp>[0], makeBus: () => Promise<EventBus>) {
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
