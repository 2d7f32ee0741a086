import type { ConversationViewers, LiveViewer, TypingSignal } from '@switchboard/shared';

export interface TypingEntry {
  key: string;
  who: TypingSignal['who'];
  private: boolean;
  /** Browser time after which the indicator goes away unless repeated. */
  until: number;
}

const NO_VIEWERS: LiveViewer[] = [];
const NO_TYPING: TypingEntry[] = [];

/**
 * The console's ephemeral view of the conversation it has open: who else has it open, who is typing.
 * Fed by the live connection, read by components through useSyncExternalStore; nothing here is
 * persisted or refetched, and typing clears itself when not repeated.
 */
export class LiveActivityStore {
  private readonly viewers = new Map<string, LiveViewer[]>();
  private readonly typing = new Map<string, TypingEntry[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<() => void>();
  /** The conversation this tab has open; the connection re-announces it after every reconnect. */
  viewing: string | null = null;
  /** Set by the live connection: tells the server which conversation this tab has open. */
  announce: (conversationId: string | null) => void = () => {};

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  viewersOf(conversationId: string): LiveViewer[] {
    return this.viewers.get(conversationId) ?? NO_VIEWERS;
  }

  typingIn(conversationId: string): TypingEntry[] {
    return this.typing.get(conversationId) ?? NO_TYPING;
  }

  open(conversationId: string): void {
    if (this.viewing === conversationId) return;
    this.viewing = conversationId;
    this.announce(conversationId);
  }

  /** The view of this conversation went away (another one opened, or the page changed). */
  close(conversationId: string): void {
    if (this.viewing !== conversationId) return;
    this.viewing = null;
    this.viewers.delete(conversationId);
    this.clearTyping(conversationId);
    this.announce(null);
    this.changed();
  }

  setViewers(v: ConversationViewers): void {
    if (v.conversationId !== this.viewing) return;
    this.viewers.set(v.conversationId, v.viewers);
    this.changed();
  }

  /** The connection dropped: what we knew may be stale until the server tells us again. */
  disconnected(): void {
    this.viewers.clear();
    for (const id of [...this.typing.keys()]) this.clearTyping(id);
    this.changed();
  }

  onTyping(s: TypingSignal, now = Date.now()): void {
    if (s.conversationId !== this.viewing) return;
    const key = s.who.kind === 'user' ? `u:${s.who.userId}` : 'contact';
    const timerKey = `${s.conversationId}|${key}`;
    clearTimeout(this.timers.get(timerKey));
    this.timers.delete(timerKey);
    const rest = this.typingIn(s.conversationId).filter((e) => e.key !== key);
    if (s.typing) {
      rest.push({ key, who: s.who, private: s.private, until: now + s.ttlMs });
      this.timers.set(
        timerKey,
        setTimeout(() => {
          this.timers.delete(timerKey);
          this.onTyping({ ...s, typing: false });
        }, s.ttlMs),
      );
    }
    if (rest.length) this.typing.set(s.conversationId, rest);
    else this.typing.delete(s.conversationId);
    this.changed();
  }

  private clearTyping(conversationId: string): void {
    for (const [k, t] of this.timers) {
      if (!k.startsWith(`${conversationId}|`)) continue;
      clearTimeout(t);
      this.timers.delete(k);
    }
    this.typing.delete(conversationId);
  }
}
