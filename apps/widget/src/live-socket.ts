// biome-ignore-all lint/suspicious/noExplicitAny: event arguments are whatever the server sends
type Handler = (...args: any[]) => void;

const MAX_BACKOFF_MS = 30_000;

/**
 * The part of the Socket.IO v4 protocol (Engine.IO v4 over WebSocket, default namespace, JSON only) the
 * widget needs: connect with auth, receive events with acknowledgements, emit events, answer the
 * server's pings, reconnect with backoff. The official client would triple the widget's size; where
 * WebSockets are blocked the widget falls back to polling the visitor API over HTTP instead.
 */
export class LiveSocket {
  private ws: WebSocket | undefined;
  private readonly handlers = new Map<string, Handler>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceMs = 60_000;
  private stopped = true;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly auth: () => Record<string, unknown>,
  ) {}

  on(event: string, fn: Handler): void {
    this.handlers.set(event, fn);
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  disconnect(): void {
    this.stopped = true;
    this.drop();
  }

  /** Reconnects now (network back, new credentials) instead of waiting for the backoff. */
  reconnect(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.drop();
    this.open();
  }

  emit(event: string, data: unknown): void {
    if (this.connected) this.send(`42${JSON.stringify([event, data])}`);
  }

  private fire(event: string, ...args: unknown[]): void {
    this.handlers.get(event)?.(...args);
  }

  private send(packet: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(packet);
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/?EIO=4&transport=websocket`);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onmessage = (e) => {
      if (this.ws === ws && typeof e.data === 'string') this.onPacket(e.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.lost();
      this.retry();
    };
    ws.onerror = () => ws.close();
  }

  /** Closes the current connection without scheduling a reconnect. */
  private drop(): void {
    const ws = this.ws;
    this.ws = undefined;
    clearTimeout(this.retryTimer);
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
    this.lost();
  }

  private lost(): void {
    clearTimeout(this.deadTimer);
    if (!this.connected) return;
    this.connected = false;
    this.fire('disconnect');
  }

  private retry(): void {
    if (this.stopped) return;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2));
  }

  /** The server pings every pingInterval; silence beyond that plus pingTimeout means a dead link. */
  private alive(): void {
    clearTimeout(this.deadTimer);
    this.deadTimer = setTimeout(() => this.ws?.close(), this.silenceMs);
  }

  private onPacket(p: string): void {
    switch (p[0]) {
      case '0': {
        const open = JSON.parse(p.slice(1)) as { pingInterval?: number; pingTimeout?: number };
        this.silenceMs = (open.pingInterval ?? 25_000) + (open.pingTimeout ?? 20_000);
        this.alive();
        this.send(`40${JSON.stringify(this.auth())}`);
        return;
      }
      case '2':
        this.alive();
        this.send('3');
        return;
      case '1':
        this.ws?.close();
        return;
      case '4':
        this.onMessage(p.slice(1));
        return;
    }
  }

  private onMessage(p: string): void {
    const body = p.slice(1);
    switch (p[0]) {
      case '0':
        this.connected = true;
        this.attempt = 0;
        this.fire('connect');
        return;
      case '4':
        this.fire('connect_error', JSON.parse(body || '{}'));
        this.ws?.close();
        return;
      case '1':
        this.ws?.close();
        return;
      case '2': {
        const m = /^(\d*)(\[[\s\S]*\])$/.exec(body);
        if (!m) return;
        const [event, ...args] = JSON.parse(m[2]!) as [string, ...unknown[]];
        const id = m[1];
        const ack = id ? (...a: unknown[]) => this.send(`43${id}${JSON.stringify(a)}`) : undefined;
        this.fire(event, ...args, ack);
        return;
      }
    }
  }
}
