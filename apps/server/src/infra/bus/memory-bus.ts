import { type BusOptions, dispatch, toWire } from './bus-wire.ts';
import type { BusHandler, EventBus } from './event-bus.port.ts';

/** In-process bus. Messages go through JSON like on Redis, so both behave the same to subscribers. */
export class MemoryBus implements EventBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();
  private closed = false;

  constructor(private readonly opts: BusOptions = {}) {}

  async publish(topic: string, message: unknown): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    const wire = toWire(message);
    const set = this.handlers.get(topic);
    if (!set || set.size === 0) return;
    // Asynchronous like a network bus, so no publisher comes to depend on synchronous delivery.
    queueMicrotask(() => dispatch(set, wire, topic, this.opts.onHandlerError));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('The event bus is closed');
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    // Wrapped so subscribing the same function twice gives two independent subscriptions.
    const own: BusHandler = (m) => handler(m);
    set.add(own);
    return async () => {
      set.delete(own);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
