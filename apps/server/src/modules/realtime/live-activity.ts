import { randomUUID } from 'node:crypto';
import { type LiveViewer, SOCKET, type TypingSignal } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { type EventBus, TOPICS } from '../../infra/bus/event-bus.port.ts';

/** How long a typing indicator stays on without a repeat (the composer repeats every 4 s). */
export const TYPING_TTL_MS = 6000;
/** A repeated "typing" of one person in one conversation reaches the consoles at most this often. */
export const TYPING_RELAY_MS = 2000;
/** Every node re-announces the conversations its sockets have open this often... */
export const VIEW_HEARTBEAT_MS = 10_000;
/** ...and forgets another node's viewer not re-announced for this long (that node died without a "bye"). */
export const VIEW_TTL_MS = 3 * VIEW_HEARTBEAT_MS + 5000;

/** One socket (a console tab) with one conversation open. */
export interface ViewEntry {
  key: string;
  accountId: string;
  conversationId: string;
  userId: string;
  name: string;
}

/** What a typing signal says before the relay stamps its lifetime on it. */
export interface TypingNote {
  accountId: string;
  conversationId: string;
  who: TypingSignal['who'];
  typing: boolean;
  private: boolean;
}

type LiveBusMessage =
  | { kind: 'view'; node: string; entry: ViewEntry; on: boolean }
  | { kind: 'views'; node: string; entries: ViewEntry[] }
  | { kind: 'hello'; node: string }
  | { kind: 'bye'; node: string }
  | ({ kind: 'typing' } & TypingNote);

/** Where the relay hands what this node's sockets should see. */
export interface LiveSink {
  /** Emits to this node's sockets that have the conversation open and may still see it. */
  toViewers(accountId: string, conversationId: string, event: string, payload: unknown): void;
}

/**
 * Typing from anywhere (an operator's HTTP call, a visitor's widget socket) goes to every node through
 * the bus; it is never stored, so nothing of it lands in the account event log or in a catch-up.
 */
export async function publishTyping(bus: EventBus, note: TypingNote): Promise<void> {
  const m: LiveBusMessage = { kind: 'typing', ...note };
  await bus.publish(TOPICS.live, m);
}

interface RemoteEntry {
  node: string;
  entry: ViewEntry;
  expiresAt: number;
}

/**
 * Ephemeral presence per conversation ("also viewing") and the typing relay, one per node. A node knows
 * its own sockets' open conversations first-hand and learns the other nodes' over the bus: a change is
 * published at once, the whole list every VIEW_HEARTBEAT_MS (which also repairs a lost message), a
 * starting node asks the others for theirs, and a stopping one says goodbye. What a crashed node leaves
 * behind expires after VIEW_TTL_MS.
 */
export class LiveActivity {
  readonly node = randomUUID();
  private readonly local = new Map<string, ViewEntry>();
  private readonly remote = new Map<string, RemoteEntry>();
  private readonly lastTyping = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly sink: LiveSink,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.ctx.bus.subscribe(TOPICS.live, (m) => this.onBus(m as LiveBusMessage));
    this.timer = setInterval(() => this.tick(), VIEW_HEARTBEAT_MS);
    this.timer.unref();
    this.publish({ kind: 'hello', node: this.node });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.local.clear();
    try {
      await this.ctx.bus.publish(TOPICS.live, { kind: 'bye', node: this.node } satisfies LiveBusMessage);
    } catch {
      // The bus is gone already: the other nodes let our viewers expire.
    }
    await this.unsubscribe?.();
  }

  /** The socket `key` now has this conversation open; null = none (navigated away, closed, disconnected). */
  setView(key: string, view: Omit<ViewEntry, 'key'> | null): void {
    if (this.closed) return;
    const before = this.local.get(key);
    if (
      before &&
      view &&
      before.accountId === view.accountId &&
      before.conversationId === view.conversationId
    )
      return;
    if (before) {
      this.local.delete(key);
      this.publish({ kind: 'view', node: this.node, entry: before, on: false });
      this.changed(before.accountId, before.conversationId);
    }
    if (view) {
      const entry = { ...view, key };
      this.local.set(key, entry);
      this.publish({ kind: 'view', node: this.node, entry, on: true });
      this.changed(entry.accountId, entry.conversationId);
    }
  }

  /** Everyone with the conversation open on any node, one entry per operator, by name. */
  viewersOf(accountId: string, conversationId: string): LiveViewer[] {
    const now = this.ctx.clock.now();
    const byUser = new Map<string, LiveViewer>();
    const add = (e: ViewEntry) => {
      if (e.accountId === accountId && e.conversationId === conversationId)
        byUser.set(e.userId, { userId: e.userId, name: e.name });
    };
    for (const e of this.local.values()) add(e);
    for (const r of this.remote.values()) if (r.expiresAt > now) add(r.entry);
    return [...byUser.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId),
    );
  }

  /** Drops other nodes' viewers that were not re-announced in time; public so tests can run it. */
  sweep(): void {
    const now = this.ctx.clock.now();
    const touched = new Map<string, ViewEntry>();
    for (const [k, r] of this.remote) {
      if (r.expiresAt > now) continue;
      this.remote.delete(k);
      touched.set(`${r.entry.accountId}:${r.entry.conversationId}`, r.entry);
    }
    for (const e of touched.values()) this.changed(e.accountId, e.conversationId);
    for (const [k, at] of this.lastTyping) if (now - at >= TYPING_RELAY_MS) this.lastTyping.delete(k);
  }

  private tick(): void {
    this.publish({ kind: 'views', node: this.node, entries: [...this.local.values()] });
    this.sweep();
  }

  private publish(m: LiveBusMessage): void {
    this.ctx.bus.publish(TOPICS.live, m).catch((err) => {
      // Best effort like the rest of the bus: the heartbeat repeats the state, typing is repeated anyway.
      if (!this.closed) this.ctx.log.warn({ err }, 'live activity publish failed');
    });
  }

  private changed(accountId: string, conversationId: string): void {
    this.sink.toViewers(accountId, conversationId, SOCKET.viewers, {
      conversationId,
      viewers: this.viewersOf(accountId, conversationId),
    });
  }

  private onBus(m: LiveBusMessage): void {
    if (this.closed) return;
    if (m.kind === 'typing') {
      this.relayTyping(m);
      return;
    }
    if (m.node === this.node) return;
    switch (m.kind) {
      case 'hello':
        this.publish({ kind: 'views', node: this.node, entries: [...this.local.values()] });
        return;
      case 'view': {
        const k = `${m.node}:${m.entry.key}`;
        if (m.on)
          this.remote.set(k, {
            node: m.node,
            entry: m.entry,
            expiresAt: this.ctx.clock.now() + VIEW_TTL_MS,
          });
        else this.remote.delete(k);
        this.changed(m.entry.accountId, m.entry.conversationId);
        return;
      }
      case 'views':
      case 'bye':
        this.replaceNode(m.node, m.kind === 'views' ? m.entries : []);
        return;
    }
  }

  /** Replaces everything known of one node with its full list, telling only conversations that changed. */
  private replaceNode(node: string, entries: ViewEntry[]): void {
    const before = new Map<string, ViewEntry>();
    for (const [k, r] of this.remote) {
      if (r.node !== node) continue;
      before.set(k, r.entry);
      this.remote.delete(k);
    }
    const expiresAt = this.ctx.clock.now() + VIEW_TTL_MS;
    const touched = new Map<string, ViewEntry>();
    for (const entry of entries) {
      const k = `${node}:${entry.key}`;
      this.remote.set(k, { node, entry, expiresAt });
      const old = before.get(k);
      before.delete(k);
      if (old?.conversationId !== entry.conversationId || old.accountId !== entry.accountId) {
        touched.set(`${entry.accountId}:${entry.conversationId}`, entry);
        if (old) touched.set(`${old.accountId}:${old.conversationId}`, old);
      }
    }
    for (const old of before.values()) touched.set(`${old.accountId}:${old.conversationId}`, old);
    for (const e of touched.values()) this.changed(e.accountId, e.conversationId);
  }

  private relayTyping(m: TypingNote): void {
    const who = m.who.kind === 'user' ? `u:${m.who.userId}` : 'contact';
    const k = `${m.accountId}:${m.conversationId}:${who}`;
    const now = this.ctx.clock.now();
    if (m.typing) {
      const last = this.lastTyping.get(k);
      if (last !== undefined && now - last < TYPING_RELAY_MS) return;
      this.lastTyping.set(k, now);
    } else this.lastTyping.delete(k);
    const signal: TypingSignal = {
      conversationId: m.conversationId,
      who: m.who,
      typing: m.typing,
      private: m.private,
      ttlMs: TYPING_TTL_MS,
    };
    this.sink.toViewers(m.accountId, m.conversationId, SOCKET.typing, signal);
  }
}
