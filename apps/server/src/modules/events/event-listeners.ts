import type { EventPayload, EventType } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { ClaimedJob, EnqueueInput } from '../../infra/queue/job-queue.port.ts';

/**
 * An account event as listeners see it. `id` is unique per event (UUIDv7, given at emit time) and is
 * what outside systems use to recognise an event; `seq` is numbered later, at commit, and only the
 * socket feed needs it.
 */
export interface EmittedEvent<K extends EventType = EventType> {
  id: string;
  accountId: string;
  type: K;
  teamId: string | null;
  payload: EventPayload<K>;
  createdAt: number;
}

/** What an in-transaction listener may do: read and write in the event's transaction, write jobs. */
export interface ListenerUnitOfWork {
  tx: Tx;
  enqueue(input: EnqueueInput): Promise<string>;
}

interface ListenerBase {
  /** Stable: durable jobs name their listener by it. */
  name: string;
  events: readonly EventType[];
}

/**
 * Runs inside the transaction that emitted the event, before it commits: what it writes commits or
 * rolls back with the event (report rollups, webhook deliveries, search entries). It must be quick
 * and must not call the outside world; it may not emit events (no listener cascades inside one
 * transaction).
 */
export interface InTransactionListener extends ListenerBase {
  mode: 'in-transaction';
  handle(ctx: AppContext, uow: ListenerUnitOfWork, event: EmittedEvent): Promise<void>;
  /**
   * Optional: runs once after every listener has handled every event of the transaction, before the
   * events are written; it may adjust their payloads to the transaction's final state (nothing else).
   */
  settle?(ctx: AppContext, uow: ListenerUnitOfWork, events: EmittedEvent[]): Promise<void>;
}

/**
 * A listener with side effects: `transact` writes one `event.listener` job per matching event in the
 * same transaction (the outbox), so the listener runs at least once after commit and never for an
 * event that rolled back. Handlers must be idempotent (a worker killed mid-job runs it again);
 * `event.id` is the natural idempotency key. Jobs with the same `orderKey` run one after another.
 */
export interface JobListener extends ListenerBase {
  mode: 'job';
  /** Cheap, pure pre-check so events the listener ignores cost no job. */
  accepts?(event: EmittedEvent): boolean;
  orderKey?(event: EmittedEvent): string | undefined;
  maxAttempts?: number;
  handle(ctx: AppContext, event: EmittedEvent, job: ClaimedJob): Promise<void>;
}

/**
 * Best effort, after commit, with the numbered events (the socket gateway's feed through the bus).
 * A failure is logged and never undoes the commit; whoever needs certainty reads the event log.
 */
export interface AfterCommitListener extends ListenerBase {
  mode: 'after-commit';
  handle(ctx: AppContext, events: CommittedEvent[]): Promise<void>;
}

export interface CommittedEvent extends EmittedEvent {
  seq: number;
}

export type EventListener = InTransactionListener | JobListener | AfterCommitListener;

/** The listeners of one process, by event type. Built once at start-up (`src/listeners.ts`). */
export class EventListeners {
  private readonly byName = new Map<string, EventListener>();

  constructor(listeners: readonly EventListener[] = []) {
    for (const l of listeners) this.register(l);
  }

  register(listener: EventListener): this {
    if (this.byName.has(listener.name)) throw new Error(`event listener ${listener.name} registered twice`);
    this.byName.set(listener.name, listener);
    return this;
  }

  get(name: string): EventListener | undefined {
    return this.byName.get(name);
  }

  /** In registration order, so in-transaction listeners run in a predictable order. */
  of<M extends EventListener['mode']>(mode: M): Extract<EventListener, { mode: M }>[] {
    return [...this.byName.values()].filter((l): l is Extract<EventListener, { mode: M }> => l.mode === mode);
  }
}

/** Narrows an event in a listener that registered for several types. */
export function isEvent<K extends EventType>(e: EmittedEvent, type: K): e is EmittedEvent<K> {
  return e.type === type;
}
