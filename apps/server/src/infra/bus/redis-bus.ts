import { Redis } from 'ioredis';
import type { BusHandler, EventBus } from './event-bus.port.ts';

/** Redis pub/sub bus for several nodes. One connection publishes, one subscribes (Redis requires two). */
export class RedisBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<BusHandler>>();

  private constructor(
    url: string,
    private readonly prefix: string,
  ) {
    const opts = { maxRetriesPerRequest: 3, lazyConnect: true };
    this.pub = new Redis(url, opts);
    this.sub = new Redis(url, opts);
    // Connection errors are retried by ioredis; without a listener they would crash the process.
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
    this.sub.on('message', (channel: string, raw: string) => {
      const set = this.handlers.get(channel);
      if (!set) return;
      let msg: unknown;
      try {
        msg = JSON.parse(raw);
      } catch {
        return;
      }
      for (const h of set) h(msg);
    });
  }

  /** Connects both clients; rejects with a clear error when Redis is unreachable. */
  static async connect(url: string, prefix = ''): Promise<RedisBus> {
    const bus = new RedisBus(url, prefix);
    try {
      await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    } catch (err) {
      bus.pub.disconnect();
      bus.sub.disconnect();
      throw new Error(`Cannot connect to Redis at ${url}: ${(err as Error).message}`);
    }
    return bus;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    await this.pub.publish(this.prefix + topic, JSON.stringify(message));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    const channel = this.prefix + topic;
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.sub.subscribe(channel);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await this.sub.unsubscribe(channel);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
