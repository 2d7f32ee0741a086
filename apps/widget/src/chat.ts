import { ApiError, VisitorApi } from './api.ts';
import { judgeFailure } from './delivery-failure.ts';
import type { Lang } from './i18n.ts';
import { catchUpSince, mergeMessages, newClientMessageId, unconfirmed, unreadCount } from './merge.ts';
import { LiveSocket } from './live-socket.ts';
import { needsPrechat } from './prechat.ts';
import { Receipts } from './receipts.ts';
import { WidgetStorage } from './storage.ts';
import type { ChatState, Identity, PendingMessage, Profile, VisitorMessage, WidgetConfig } from './types.ts';

/** Must match apps/server/src/modules/channels/widget/widget-bus.ts. */
const SOCKET_PATH = '/widget/socket.io';
const TYPING_TIMEOUT_MS = 8000;
/** While the visitor types, operators are told again this often (their indicator expires after 6 s). */
const TYPING_EVERY_MS = 3000;
const CONFIG_REFRESH_MS = 60_000;
/** While the socket is down and the panel open, the widget polls instead. */
const POLL_MS = 20_000;

/**
 * The widget's behaviour, without any DOM: session, history, live updates and catch-up, sending with
 * retries (idempotent through client message ids), receipts, unread count. The view re-renders on change.
 */
export class Chat {
  readonly api: VisitorApi;
  private readonly storage: WidgetStorage;
  private socket: LiveSocket | undefined;
  private listeners: (() => void)[] = [];
  private syncing = false;
  private resync = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the visitor's own typing was last sent (0 = not typing). */
  private typingSentAt = 0;
  private readonly receipts: Receipts;
  private identity: Identity | undefined;
  state: ChatState;

  constructor(base: string, channelId: string, config: WidgetConfig, lang: Lang) {
    this.api = new VisitorApi(base, channelId);
    this.storage = new WidgetStorage(channelId);
    this.receipts = new Receipts(this.api);
    this.state = {
      config,
      lang,
      messages: [],
      pending: [],
      typing: undefined,
      connected: false,
      open: this.storage.get('open') === '1',
      unread: 0,
      needsPrechat: false,
      profile: { name: null, email: null, phone: null },
    };
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Starts or resumes the session, loads the history and goes live. Throws if the chat is unavailable. */
  async start(identity?: Identity): Promise<void> {
    this.identity = identity;
    try {
      await this.startSession();
    } catch (err) {
      if (!(identity && err instanceof ApiError && err.code === 'invalid_signature')) throw err;
      // A wrong data-user-hash (the site's backend is misconfigured): chat anonymously instead.
      console.warn('[Switchboard widget] data-user-hash was refused; chatting anonymously', err.message);
      this.identity = undefined;
      await this.startSession();
    }
    await this.catchUp();
    this.connect();
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      this.markRead();
      if (!this.state.connected) {
        void this.catchUp();
        this.socket?.reconnect();
      }
    });
    setInterval(() => {
      if (this.state.open) void this.refreshConfig();
    }, CONFIG_REFRESH_MS);
    setInterval(() => {
      if (this.state.open && !this.state.connected) void this.catchUp();
    }, POLL_MS);
  }

  private async startSession(profile: Partial<Profile> = {}): Promise<void> {
    const held = this.storage.get('token') ?? undefined;
    const id = this.identity;
    const s = await this.api.session({
      token: held,
      userId: id?.id,
      userHash: id?.hash,
      name: profile.name ?? id?.name,
      email: profile.email ?? id?.email,
      phone: profile.phone ?? id?.phone,
    });
    const before = this.storage.get('visitor');
    this.api.token = s.token;
    this.storage.set('token', s.token);
    this.storage.set('visitor', s.visitorId);
    this.state.profile = s.profile;
    if (before !== null && before !== s.visitorId) {
      // Another person now (identify/reset): nothing of the previous visitor stays on screen.
      this.state.messages = [];
      this.state.pending = [];
      this.storage.remove('lastReadAt');
      this.storage.remove('prechat');
    }
    this.updatePrechat();
  }

  private updatePrechat(): void {
    const seen = this.storage.get('prechat') === '1' || this.state.messages.length > 0;
    this.state.needsPrechat = needsPrechat(this.state.config.preChatForm, this.state.profile, seen);
  }

  private connect(): void {
    this.socket?.disconnect();
    // Read at every (re)connect, so a new token after identify() or reset() is used.
    const socket = new LiveSocket(`${this.api.base}${SOCKET_PATH}`, () => ({
      channelId: this.api.channelId,
      token: this.api.token,
    }));
    this.socket = socket;
    window.addEventListener('online', () => socket.reconnect());
    let reconnected = false;
    socket.on('ready', () => {
      // A center state pushed while the socket was down was missed: read it again.
      if (reconnected) void this.refreshConfig();
      reconnected = true;
      this.state.connected = true;
      this.changed();
      void this.catchUp();
      for (const p of this.state.pending) if (p.state === 'failed' && p.error === null) void this.deliver(p);
    });
    socket.on('disconnect', () => {
      this.state.connected = false;
      this.changed();
    });
    socket.on('connect_error', (err: { data?: { code?: string } }) => {
      // The token no longer holds (e.g. the server's secret changed): start over as a new session.
      if (err.data?.code === 'unauthorized' && this.storage.get('token') === this.api.token) {
        this.storage.remove('token');
        void this.startSession().catch(() => {});
      }
    });
    socket.on('message', (m: VisitorMessage, ack?: (ok: boolean) => void) => {
      if (m.direction === 'out') {
        this.receipts.note('delivered', m.id);
        this.state.typing = undefined;
      }
      this.merge([m]);
      if (typeof ack === 'function') ack(true);
    });
    socket.on('center', (c: Pick<WidgetConfig, 'online' | 'offlineReason' | 'nextOpenAt'>) => {
      this.state.config = { ...this.state.config, ...c };
      this.changed();
    });
    socket.on('typing', (t: { typing: boolean; name: string | null }) => {
      clearTimeout(this.typingTimer);
      this.state.typing = t.typing ? t.name : undefined;
      if (t.typing) {
        this.typingTimer = setTimeout(() => {
          this.state.typing = undefined;
          this.changed();
        }, TYPING_TIMEOUT_MS);
      }
      this.changed();
    });
    socket.connect();
  }

  /** Fetches what changed since (a margin before) the newest change seen, page by page. */
  async catchUp(): Promise<void> {
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.resync = false;
        let since = catchUpSince(this.state.messages);
        if (since === undefined) {
          this.merge((await this.api.messages()).items);
          continue;
        }
        let afterId: string | undefined;
        for (;;) {
          const page = await this.api.messages(since, afterId);
          this.merge(page.items);
          const last = page.items[page.items.length - 1];
          if (!page.more || !last) break;
          since = last.updatedAt;
          afterId = last.id;
        }
      } while (this.resync);
    } catch {
      // Offline or the server is restarting: the next reconnect or poll tries again.
    } finally {
      this.syncing = false;
    }
  }

  private merge(incoming: VisitorMessage[]): void {
    const s = this.state;
    s.messages = mergeMessages(s.messages, incoming);
    s.pending = unconfirmed(s.pending, s.messages);
    if (s.needsPrechat) this.updatePrechat();
    const fresh = s.messages.filter(
      (m) => m.direction === 'out' && m.status === 'sent' && !this.receipts.has('delivered', m.id),
    );
    if (fresh.length > 0)
      this.receipts.send(
        'delivered',
        fresh.map((m) => m.id),
      );
    this.markRead();
    this.updateUnread();
    this.changed();
  }

  private updateUnread(): void {
    this.state.unread = unreadCount(this.state.messages, Number(this.storage.get('lastReadAt') ?? 0));
  }

  /** While the panel is open and the page visible, operator messages count as read. */
  markRead(): void {
    const s = this.state;
    if (!s.open || document.visibilityState !== 'visible') return;
    const outs = s.messages.filter((m) => m.direction === 'out');
    const last = outs[outs.length - 1];
    if (last)
      this.storage.set(
        'lastReadAt',
        String(Math.max(Number(this.storage.get('lastReadAt') ?? 0), last.createdAt)),
      );
    const ids = outs.filter((m) => m.status !== 'read' && !this.receipts.has('read', m.id)).map((m) => m.id);
    if (ids.length > 0) this.receipts.send('read', ids);
    const before = s.unread;
    this.updateUnread();
    if (before !== s.unread) this.changed();
  }

  setOpen(open: boolean): void {
    this.state.open = open;
    this.storage.set('open', open ? '1' : '0');
    if (open) {
      this.markRead();
      void this.refreshConfig();
    }
    this.changed();
  }

  private async refreshConfig(): Promise<void> {
    try {
      this.state.config = await this.api.config();
      this.changed();
    } catch {}
  }

  /** The visitor is typing (text in the box) or stopped (empty): shown live to the operators. */
  typing(hasText: boolean): void {
    const now = Date.now();
    if (hasText) {
      if (now - this.typingSentAt < TYPING_EVERY_MS) return;
      this.typingSentAt = now;
      this.socket?.emit('typing', { typing: true });
    } else if (this.typingSentAt !== 0) {
      this.typingSentAt = 0;
      this.socket?.emit('typing', { typing: false });
    }
  }

  sendText(text: string): void {
    const t = text.trim();
    this.typing(false);
    if (t === '') return;
    this.queue({ text: t, file: null });
  }

  /** A tapped quick reply (or survey star): its title goes as the visitor's message, with its id. */
  sendButton(button: { id: string; title: string }): void {
    this.typing(false);
    this.queue({ text: button.title, file: null, buttonId: button.id });
  }

  sendFile(file: File): string | null {
    if (file.size > this.state.config.maxUploadBytes) return 'too_large';
    this.queue({ text: null, file });
    return null;
  }

  private queue(what: { text: string | null; file: File | null; buttonId?: string }): void {
    const p: PendingMessage = {
      clientMessageId: newClientMessageId(),
      ...what,
      uploadToken: null,
      state: 'sending',
      error: null,
      createdAt: Date.now(),
    };
    this.state.pending.push(p);
    this.changed();
    void this.deliver(p);
  }

  /** Sends (or re-sends: the client id makes it idempotent) one pending message. */
  async deliver(p: PendingMessage, retried = false): Promise<void> {
    p.state = 'sending';
    p.error = null;
    this.changed();
    try {
      if (p.file && !p.uploadToken) p.uploadToken = (await this.api.upload(p.file)).token;
      await this.api.send({
        clientMessageId: p.clientMessageId,
        ...(p.text ? { text: p.text } : {}),
        ...(p.uploadToken ? { attachments: [p.uploadToken] } : {}),
        ...(p.buttonId ? { buttonId: p.buttonId } : {}),
        // Without query or fragment: those may carry the visitor's secrets (reset links, tokens).
        pageUrl: location.origin + location.pathname,
      });
      // Normally the stored copy arrives over the socket; if it does not, fetch it.
      setTimeout(() => {
        if (this.state.pending.includes(p)) void this.catchUp();
      }, 4000);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && !retried) {
        this.storage.remove('token');
        await this.startSession().catch(() => {});
        return this.deliver(p, true);
      }
      p.state = 'failed';
      const failure = judgeFailure(err, this.state.lang);
      if (failure.uploadAgain) p.uploadToken = null;
      p.error = failure.error;
      if (failure.askForm) this.state.needsPrechat = true;
      this.changed();
    }
  }

  async submitPrechat(profile: Partial<Profile>): Promise<void> {
    await this.startSession(profile);
    this.storage.set('prechat', '1');
    this.updatePrechat();
    this.changed();
    for (const p of this.state.pending) if (p.state === 'failed') void this.deliver(p);
  }

  /** A signed-in user of the site (from the business's backend): the same contact on every device. */
  async identify(identity: Identity): Promise<void> {
    const before = this.identity;
    this.identity = identity;
    try {
      await this.startSession();
    } catch (err) {
      // Refused (wrong hash): stay who we were rather than retrying a bad identity forever.
      this.identity = before;
      throw err;
    }
    this.reconnect();
  }

  /** The site's user signed out: forget this visitor on this browser and start a fresh anonymous one. */
  async reset(): Promise<void> {
    this.identity = undefined;
    for (const k of ['token', 'visitor', 'lastReadAt', 'prechat']) this.storage.remove(k);
    this.state.messages = [];
    this.state.pending = [];
    await this.startSession();
    this.reconnect();
  }

  private reconnect(): void {
    this.state.typing = undefined;
    this.receipts.clear();
    this.updateUnread();
    this.changed();
    void this.catchUp();
    this.socket?.reconnect();
  }
}
