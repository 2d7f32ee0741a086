import { Redis } from 'ioredis';
import { type BusOptions, dispatch, toWire } from './bus-wire.ts';
import type { BusHandler, EventBus } from './event-bus.port.ts';

interface Channel {
  handlers: Set<BusHandler>;
  /** Settles when Redis confirmed the SUBSCRIBE; later subscribers of the channel wait for it too. */
  active: Promise<unknown>;
}

/** Redis pub/sub bus for several nodes. One connection publishes, one subscribes (Redis requires two). */
export class RedisBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channels = new Map<string, Channel>();
  private lastError: Error | undefined;
  private closed = false;

  private constructor(
    url: string,
    private readonly prefix: string,
    private readonly opts: BusOptions,
  ) {
    const clientOpts = { maxRetriesPerRequest: 3, lazyConnect: true };
    // Publishing happens after a commit, inside the request or job: while Redis is down it must fail at
    // once (sockets catch up from the event log, workers poll), not wait in the offline queue for
    // several reconnect attempts — that held every webhook and every job 5–8 s during an outage.
    this.pub = new Redis(url, { ...clientOpts, enableOfflineQueue: false });
    this.sub = new Redis(url, clientOpts);
    // Connection errors are retried by ioredis; without a listener they would crash the process. The
    // last one is kept because a failed connect() itself only says "Connection is closed".
    const remember = (err: Error) => {
      this.lastError = err;
    };
    this.pub.on('error', remember);
    this.sub.on('error', remember);
    this.sub.on('message', (channel: string, raw: string) => {
      const c = this.channels.get(channel);
      if (!c) return;
      try {
        JSON.parse(raw);
      } catch {
        return; // not one of ours (something else publishing on the channel)
      }
      dispatch(c.handlers, raw, channel.slice(this.prefix.length), this.opts.onHandlerError);
    });
  }

  /**
   * Connects both clients; rejects with a clear error (cause included, password hidden) when Redis is
   * unreachable. `prefix` namespaces the channels, so several installations or test runs can share a Redis.
   */
  static async connect(url: string, prefix = '', opts: BusOptions = {}): Promise<RedisBus> {
    const bus = new RedisBus(url, prefix, opts);
    try {
      await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    } catch (err) {
      bus.pub.disconnect();
      bus.sub.disconnect();
      const cause = bus.lastError?.message || (err as Error).message;
      throw new Error(`Cannot connect to Redis at ${redactRedisUrl(url)}: ${cause}`);
    }
    return bus;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    await this.pub.publish(this.prefix + topic, toWire(message));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('The event bus is closed');
    const name = this.prefix + topic;
    let c = this.channels.get(name);
    if (!c) {
      const created: Channel = { handlers: new Set(), active: this.sub.subscribe(name) };
      created.active.catch(() => {
        if (this.channels.get(name) === created) this.channels.delete(name);
      });
      this.channels.set(name, created);
      c = created;
    }
    const channel = c;
    const own: BusHandler = (m) => handler(m);
    channel.handlers.add(own);
    try {
      await channel.active;
    } catch (err) {
      channel.handlers.delete(own);
      throw err;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      channel.handlers.delete(own);
      // Only the channel this subscription joined: a later resubscription has its own entry.
      if (channel.handlers.size === 0 && this.channels.get(name) === channel) {
        this.channels.delete(name);
        if (!this.closed) await this.sub.unsubscribe(name);
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}

/** Hides the password of a redis:// URL (`redis://:pw@host`, `redis://user:pw@host`). */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
