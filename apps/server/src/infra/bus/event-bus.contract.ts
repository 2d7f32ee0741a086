import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/node-services.ts';
import type { BusOptions } from './bus-wire.ts';
import type { EventBus } from './event-bus.port.ts';

/** Records what one subscriber received. */
export class Inbox {
  readonly messages: unknown[] = [];
  readonly handler = (m: unknown) => {
    this.messages.push(m);
  };

  async waitFor(n: number, timeoutMs = 3000): Promise<unknown[]> {
    await waitUntil(
      `${n} bus messages (have ${this.messages.length})`,
      () => this.messages.length >= n,
      timeoutMs,
    );
    return this.messages;
  }
}

/**
 * The behaviour every EventBus must have. `open` returns a fresh bus; buses opened in one test share
 * the same namespace (two "nodes"), buses of different tests do not.
 */
export function eventBusContract(name: string, open: (opts?: BusOptions) => Promise<EventBus>): void {
  describe(`EventBus contract (${name})`, () => {
    const opened: EventBus[] = [];
    const bus = async (opts?: BusOptions) => {
      const b = await open(opts);
      opened.push(b);
      return b;
    };
    let b: EventBus;

    beforeEach(async () => {
      b = await bus();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((o) => o.close()));
    });

    /** Publishes a marker and waits for it: anything published earlier by `via` has arrived by then. */
    async function barrier(via: EventBus, topic: string, inbox: Inbox): Promise<void> {
      const marker = { barrier: Math.random() };
      await via.publish(topic, marker);
      await waitUntil('the barrier message', () =>
        inbox.messages.some((m) => JSON.stringify(m) === JSON.stringify(marker)),
      );
      inbox.messages.splice(
        inbox.messages.findIndex((m) => JSON.stringify(m) === JSON.stringify(marker)),
        1,
      );
    }

    it('delivers each message once to every subscriber of the topic, including the publisher’s own', async () => {
      const a = new Inbox();
      const c = new Inbox();
      await b.subscribe('t', a.handler);
      await b.subscribe('t', c.handler);
      await b.publish('t', { n: 1 });
      await b.publish('t', { n: 2 });
      expect(await a.waitFor(2)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await c.waitFor(2)).toEqual([{ n: 1 }, { n: 2 }]);
      await barrier(b, 't', a);
      expect(a.messages).toHaveLength(2);
    });

    it('subscribing the same function twice makes two subscriptions', async () => {
      const a = new Inbox();
      const off1 = await b.subscribe('t', a.handler);
      await b.subscribe('t', a.handler);
      await b.publish('t', 1);
      expect(await a.waitFor(2)).toEqual([1, 1]);
      await off1();
      await b.publish('t', 2);
      await a.waitFor(3);
      await barrier(b, 't', a);
      expect(a.messages).toEqual([1, 1, 2]);
    });

    it('keeps topics apart', async () => {
      const one = new Inbox();
      const two = new Inbox();
      await b.subscribe('one', one.handler);
      await b.subscribe('two', two.handler);
      await b.publish('one', 'for one');
      await b.publish('two', 'for two');
      await b.publish('three', 'for nobody');
      expect(await one.waitFor(1)).toEqual(['for one']);
      expect(await two.waitFor(1)).toEqual(['for two']);
      await barrier(b, 'one', one);
      await barrier(b, 'two', two);
      expect(one.messages).toEqual(['for one']);
      expect(two.messages).toEqual(['for two']);
    });

    it('keeps the order of one publisher', async () => {
      const a = new Inbox();
      await b.subscribe('t', a.handler);
      const sent = Array.from({ length: 200 }, (_, i) => ({ i }));
      await Promise.all(sent.map((m) => b.publish('t', m)));
      expect(await a.waitFor(200)).toEqual(sent);
    });

    it('unsubscribe stops that subscriber only, is idempotent, and the topic can be joined again', async () => {
      const stays = new Inbox();
      const leaves = new Inbox();
      await b.subscribe('t', stays.handler);
      const off = await b.subscribe('t', leaves.handler);
      await b.publish('t', 1);
      await leaves.waitFor(1);
      await off();
      await off();
      await b.publish('t', 2);
      await stays.waitFor(2);
      await barrier(b, 't', stays);
      expect(leaves.messages).toEqual([1]);

      // The last subscriber leaving and a new one arriving: the new one is live as soon as subscribe resolves.
      const offStays = await b.subscribe('u', stays.handler);
      await offStays();
      const again = new Inbox();
      await b.subscribe('u', again.handler);
      await offStays(); // a stale unsubscribe must not remove the new subscription
      await b.publish('u', 'back');
      expect(await again.waitFor(1)).toEqual(['back']);
    });

    it('carries JSON and gives each subscriber its own copy', async () => {
      const a = new Inbox();
      const c = new Inbox();
      await b.subscribe('t', (m) => {
        a.handler(m);
        (m as { nested?: { list: number[] } } | null)?.nested?.list.push(99);
      });
      await b.subscribe('t', c.handler);
      const at = new Date('2026-01-02T03:04:05.678Z');
      const message = {
        text: 'Привет 👋 "quotes" \\ \n',
        n: 12.5,
        big: 2 ** 53 - 1,
        neg: -0.001,
        yes: true,
        none: null,
        skipped: undefined,
        at,
        nested: { list: [1, 2, 3], empty: {} },
      };
      await b.publish('t', message);
      await b.publish('t', 'plain string');
      await b.publish('t', 0);
      await b.publish('t', null);
      const expected = [
        {
          text: message.text,
          n: 12.5,
          big: 2 ** 53 - 1,
          neg: -0.001,
          yes: true,
          none: null,
          at: at.toISOString(),
          nested: { list: [1, 2, 3], empty: {} },
        },
        'plain string',
        0,
        null,
      ];
      expect(await c.waitFor(4)).toEqual(expected);
      expect(message.nested.list).toEqual([1, 2, 3]);
      expect((a.messages[0] as { nested: { list: number[] } }).nested.list).toEqual([1, 2, 3, 99]);
    });

    it('refuses values JSON cannot carry and delivers nothing for them', async () => {
      const a = new Inbox();
      await b.subscribe('t', a.handler);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(b.publish('t', undefined)).rejects.toThrow(TypeError);
      await expect(b.publish('t', () => 1)).rejects.toThrow(TypeError);
      await expect(b.publish('t', circular)).rejects.toThrow(TypeError);
      await expect(b.publish('t', { n: 1n })).rejects.toThrow(TypeError);
      await barrier(b, 't', a);
      expect(a.messages).toEqual([]);
    });

    it('a throwing subscriber does not keep the message from the others and is reported', async () => {
      const failures: [unknown, string][] = [];
      const own = await bus({ onHandlerError: (err, topic) => failures.push([err, topic]) });
      const a = new Inbox();
      await own.subscribe('t', () => {
        throw new Error('subscriber bug');
      });
      await own.subscribe('t', a.handler);
      await own.publish('t', 1);
      await own.publish('t', 2);
      expect(await a.waitFor(2)).toEqual([1, 2]);
      expect(failures.map(([e, t]) => [(e as Error).message, t])).toEqual([
        ['subscriber bug', 't'],
        ['subscriber bug', 't'],
      ]);
    });

    it('close() ends cleanly: it is idempotent and the closed bus refuses further use', async () => {
      const a = new Inbox();
      await b.subscribe('t', a.handler);
      await b.publish('t', 'before');
      await a.waitFor(1);
      await b.close();
      await b.close();
      await expect(b.publish('t', 'after')).rejects.toThrow(/closed/i);
      await expect(b.subscribe('t', a.handler)).rejects.toThrow(/closed/i);
      expect(a.messages).toEqual(['before']);
    });
  });
}
