import {
  type AccountEvent,
  type ConversationViewers,
  type LiveViewer,
  type ResyncSignal,
  SOCKET,
  type TypingSignal,
} from '@switchboard/shared';
import { type Socket, io } from 'socket.io-client';
import type { LiveActivityStore } from './live-activity.ts';
import { displayDeep } from '@switchboard/shared/text';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  onEvent(e: AccountEvent): void;
  onStatus(s: LiveStatus): void;
  /** The first connection: data loaded over REST may predate it, so lists should be refetched once. */
  onFirstReady(): void;
  /** The server could not replay what was missed (pruned by retention): everything shown must be reloaded. */
  onResync(): void;
  onUnauthorized(): void;
  /** Who else has the open conversation on screen, who is typing in it (ephemeral, not replayed). */
  activity?: LiveActivityStore;
}

/**
 * The console's Socket.IO link. It remembers the last account sequence number it saw and sends it on
 * every (re)connect, so the server replays exactly what was missed while the network was away.
 */
export class LiveConnection {
  private lastSeq: number | null = null;
  private readonly socket: Socket;
  private readonly goOffline = () => this.socket.disconnect();
  private readonly goOnline = () => {
    if (!this.socket.connected) this.socket.connect();
  };
  // A closing or hidden-for-good tab says goodbye at once, so colleagues stop seeing it in the
  // conversation; a page restored from the back-forward cache connects again (and replays).
  private readonly leave = () => this.socket.disconnect();
  private readonly back = (e: PageTransitionEvent) => {
    if (e.persisted) this.goOnline();
  };

  constructor(private readonly h: LiveHandlers) {
    this.socket = io({
      path: '/socket.io',
      autoConnect: false,
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (cb) => cb(this.lastSeq === null ? {} : { lastSeq: this.lastSeq }),
    });
    const activity = h.activity;
    if (activity) {
      activity.announce = (id) => this.announce(id);
      this.socket.on(SOCKET.viewers, (v: ConversationViewers) => activity.setViewers(displayDeep(v)));
      this.socket.on(SOCKET.typing, (s: TypingSignal) => activity.onTyping(displayDeep(s)));
    }
    this.socket.on('connect', () => this.h.onStatus('connecting'));
    this.socket.on(SOCKET.ready, (m: { seq: number }) => {
      const first = this.lastSeq === null;
      this.lastSeq = Math.max(this.lastSeq ?? 0, m.seq);
      this.h.onStatus('live');
      // Presence is per connection: a reconnected tab says again which conversation it has open.
      if (this.h.activity?.viewing) this.announce(this.h.activity.viewing);
      if (first) this.h.onFirstReady();
    });
    this.socket.on(SOCKET.resync, (m: ResyncSignal) => {
      this.lastSeq = Math.max(this.lastSeq ?? 0, m.seq);
      this.h.onResync();
    });
    this.socket.on(SOCKET.event, (e: AccountEvent) => {
      if (!acceptSeq(this.lastSeq, e.seq)) return;
      this.lastSeq = e.seq;
      // As for API answers (api/http.ts): customer text is made safe to show once, on arrival.
      this.h.onEvent(displayDeep(e));
    });
    this.socket.on('disconnect', (reason) => {
      this.h.onStatus('offline');
      this.h.activity?.disconnected();
      // The server closed us on purpose (e.g. a deploy): socket.io does not retry those by itself.
      if (reason === 'io server disconnect') setTimeout(this.goOnline, 1000);
    });
    this.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      this.h.onStatus('offline');
      if (err.data?.code === 'unauthorized' || err.data?.code === 'session_expired') this.h.onUnauthorized();
    });
  }

  start(): void {
    // The browser knows about a lost network long before a ping times out.
    window.addEventListener('offline', this.goOffline);
    window.addEventListener('online', this.goOnline);
    window.addEventListener('pagehide', this.leave);
    window.addEventListener('pageshow', this.back);
    this.socket.connect();
  }

  stop(): void {
    window.removeEventListener('offline', this.goOffline);
    window.removeEventListener('online', this.goOnline);
    window.removeEventListener('pagehide', this.leave);
    window.removeEventListener('pageshow', this.back);
    this.socket.disconnect();
  }

  /** Tells the server which conversation this tab has open (null = none); its answer lists the viewers. */
  private announce(conversationId: string | null): void {
    if (!this.socket.connected) return;
    this.socket
      .timeout(10_000)
      .emit(
        SOCKET.view,
        { conversationId },
        (err: Error | null, ack?: { ok: boolean; viewers?: LiveViewer[] }) => {
          if (err || !ack?.ok || !conversationId || !ack.viewers) return;
          this.h.activity?.setViewers({ conversationId, viewers: ack.viewers });
        },
      );
  }

  get seq(): number | null {
    return this.lastSeq;
  }
}

/** Events arrive in sequence order; anything at or below what we hold is a replayed duplicate. */
export function acceptSeq(lastSeq: number | null, seq: number): boolean {
  return lastSeq === null || seq > lastSeq;
}
