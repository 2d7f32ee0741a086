import { type AccountEvent, EVENT_TYPES } from '@switchboard/shared';
import { TOPICS } from '../../infra/bus/event-bus.port.ts';
import type { AfterCommitListener } from '../events/event-listeners.ts';

/**
 * The socket gateway's feed: every committed event goes on the bus, where each node's gateway picks
 * it up for its own sockets. A lost publish costs latency only: sockets fill gaps from the event log.
 */
export const realtimeListener: AfterCommitListener = {
  name: 'realtime.bus',
  mode: 'after-commit',
  events: EVENT_TYPES,
  async handle(ctx, events) {
    for (const { id: _id, ...e } of events) {
      // Exactly what a replay from the event log gives (the log does not keep listener event ids).
      const live: AccountEvent = e;
      await ctx.bus.publish(TOPICS.accountEvents, live);
    }
  },
};
