import type { AddressInfo } from 'node:net';
import { type AccountEvent, type ResyncSignal, SOCKET } from '@switchboard/shared';
import { io, type Socket } from 'socket.io-client';
import type { BusHandler, EventBus } from '../src/infra/bus/event-bus.port.ts';
import { TOPICS } from '../src/infra/bus/event-bus.port.ts';
import { MemoryBus } from '../src/infra/bus/memory-bus.ts';
import { SocketGateway } from '../src/modules/realtime/socket-gateway.ts';
import { waitUntil } from './node-services.ts';
import type { TestApp } from './test-app.ts';

/** Puts a test app on a real port with the Socket.IO gateway attached, like startNode does. */
export async function serveWithGateway(t: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  const gateway = new SocketGateway(t.ctx, t.app.server);
  await gateway.start();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => gateway.close() };
}

export interface SocketCredentials {
  /** `sb_session=...` cookie header, as a browser would send it. */
  cookie?: string;
  /** Handshake token: a session token or an `sbt_` API token. */
  token?: string;
  lastSeq?: number;
  /** More handshake headers (Origin, Authorization, Sec-Fetch-Site), as a browser or client sends them. */
  headers?: Record<string, string>;
  /** Only these transports (a page's `new WebSocket(...)` is websocket alone). */
  transports?: ('polling' | 'websocket')[];
}

export type ConnectError = Error & { data?: { code?: string } };

/** A console client: records every `event` it receives, and the `ready` that ends the catch-up. */
export class SocketProbe {
  readonly events: AccountEvent[] = [];
  /** `resync` signals: the replay asked for was past the retention horizon. */
  readonly resyncs: ResyncSignal[] = [];
  readySeq: number | undefined;

  private constructor(readonly socket: Socket) {
    socket.on(SOCKET.event, (e: AccountEvent) => this.events.push(e));
    socket.on(SOCKET.resync, (r: ResyncSignal) => this.resyncs.push(r));
    socket.on(SOCKET.ready, (r: { seq: number }) => {
      this.readySeq = r.seq;
    });
  }

  private static open(url: string, c: SocketCredentials): SocketProbe {
    const auth: Record<string, unknown> = {};
    if (c.token !== undefined) auth.token = c.token;
    if (c.lastSeq !== undefined) auth.lastSeq = c.lastSeq;
    const socket = io(url, {
      path: '/socket.io',
      autoConnect: false,
      reconnection: false,
      forceNew: true,
      auth,
      extraHeaders: { ...(c.cookie ? { cookie: c.cookie } : {}), ...c.headers },
      ...(c.transports ? { transports: c.transports } : {}),
    });
    const probe = new SocketProbe(socket);
    socket.connect();
    return probe;
  }

  /** Connects and waits until the server says the socket is live (catch-up done). */
  static async connect(url: string, c: SocketCredentials): Promise<SocketProbe> {
    const probe = SocketProbe.open(url, c);
    await new Promise<void>((resolve, reject) => {
      probe.socket.once(SOCKET.ready, () => resolve());
      probe.socket.once('connect_error', reject);
    });
    return probe;
  }

  /** Connects expecting refusal; resolves with the server's error. */
  static async refused(url: string, c: SocketCredentials): Promise<ConnectError> {
    const probe = SocketProbe.open(url, c);
    try {
      return await new Promise<ConnectError>((resolve, reject) => {
        probe.socket.once('connect_error', resolve);
        probe.socket.once('connect', () => reject(new Error('the socket was accepted')));
      });
    } finally {
      probe.close();
    }
  }

  seqs(): number[] {
    return this.events.map((e) => e.seq);
  }

  async waitForEvents(n: number, timeoutMs = 5000): Promise<AccountEvent[]> {
    await waitUntil(
      `${n} socket events (have ${this.events.length})`,
      () => this.events.length >= n,
      timeoutMs,
    );
    return this.events;
  }

  async waitForEvent(pred: (e: AccountEvent) => boolean, timeoutMs = 5000): Promise<AccountEvent> {
    return waitUntil('a matching socket event', () => this.events.find(pred), timeoutMs);
  }

  /**
   * Asks the server to bring this socket up to date (optionally re-sending after `afterSeq`) and waits for
   * the answer. Everything the socket may see up to the returned seq has been received by then, so it is
   * also the barrier that proves an event was *not* delivered.
   */
  async sync(afterSeq?: unknown): Promise<{ seq: number }> {
    return (await this.socket.timeout(5000).emitWithAck(SOCKET.sync, { afterSeq })) as { seq: number };
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}

/**
 * An in-process bus whose account events can be held back, then delivered in any order or dropped: what
 * the gateway sees when events come from other nodes with network delays, or a pub/sub message is lost.
 */
export class GatedBus implements EventBus {
  private readonly inner = new MemoryBus();
  private holding = false;
  readonly held: unknown[] = [];

  hold(): void {
    this.holding = true;
  }

  /** Stops holding; delivers the held events in the given order (indices into `held`), drops the rest. */
  async release(order: number[] = this.held.map((_, i) => i)): Promise<void> {
    this.holding = false;
    const batch = this.held.splice(0);
    for (const i of order) await this.inner.publish(TOPICS.accountEvents, batch[i]);
  }

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.holding && topic === TOPICS.accountEvents) {
      this.held.push(JSON.parse(JSON.stringify(message)));
      return;
    }
    await this.inner.publish(topic, message);
  }

  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    return this.inner.subscribe(topic, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
