import type { BusHandler, EventBus } from './event-bus.port.ts';

/** In-process bus. Messages go through JSON like on Redis, so both behave the same to subscribers. */
export class MemoryBus implements EventBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(topic: string, message: unknown): Promise<void> {
    const set = this.handlers.get(topic);
    if (!set) return;
    const wire = JSON.stringify(message);
    queueMicrotask(() => {
      for (const h of set) h(JSON.parse(wire));
    });
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
