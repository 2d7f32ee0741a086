export type BusHandler = (message: unknown) => void;

/**
 * Fan-out between the nodes of one installation (in-process when embedded, Redis pub/sub when
 * distributed). Best effort by design: what must not be lost is in the database first (account events,
 * jobs); the bus only makes the other nodes learn of it sooner.
 */
export interface EventBus {
  publish(topic: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const TOPICS = {
  accountEvents: 'sb:account-events',
  jobsWake: 'sb:jobs-wake',
  /** Ephemeral console activity: who has a conversation open, who is typing (never stored). */
  live: 'sb:live',
} as const;
