import type { BusHandler } from './event-bus.port.ts';

export interface BusOptions {
  /** Called when a subscriber throws; the other subscribers still get the message. */
  onHandlerError?: (err: unknown, topic: string) => void;
}

/** Serialises a message for the wire; a value JSON cannot carry is the publisher's bug, so it is refused. */
export function toWire(message: unknown): string {
  const wire = JSON.stringify(message);
  if (wire === undefined) throw new TypeError('Bus messages must be JSON values');
  return wire;
}

/**
 * Hands every handler its own parsed copy (one subscriber mutating a message must not change what the
 * next one sees), and isolates failures: a throwing handler must neither starve the others nor, from
 * an event-loop callback, crash the process.
 */
export function dispatch(
  handlers: Iterable<BusHandler>,
  wire: string,
  topic: string,
  onHandlerError: (err: unknown, topic: string) => void = defaultOnHandlerError,
): void {
  for (const h of [...handlers]) {
    try {
      h(JSON.parse(wire));
    } catch (err) {
      onHandlerError(err, topic);
    }
  }
}

function defaultOnHandlerError(err: unknown, topic: string): void {
  console.error(`event bus: a subscriber of ${topic} failed:`, err);
}
