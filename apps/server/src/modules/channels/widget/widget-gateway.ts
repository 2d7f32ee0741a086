import type { Server as HttpServer } from 'node:http';
import type { AccountEvent } from '@switchboard/shared';
import { Server, type Socket } from 'socket.io';
import type { AppContext } from '../../../app-context.ts';
import { TOPICS } from '../../../infra/bus/event-bus.port.ts';
import type { MessageDto } from '../../messages/message.dto.ts';
import { publishTyping } from '../../realtime/live-activity.ts';
import { verifyVisitorToken } from './visitor-token.ts';
import {
  WIDGET_SOCKET,
  WIDGET_SOCKET_PATH,
  WIDGET_TOPIC,
  type WidgetBusMessage,
  visitorRoom,
} from './widget-bus.ts';
import { widgetAvailability } from './widget-center.ts';
import { RECEIPT_STATUSES } from '@switchboard/shared';
import { originAllowed, widgetSettingsOf } from './widget-settings.ts';
import { type Visitor, recordReceipts } from './widget-visitor.service.ts';
import { visitorMessageFromDto } from './widget.dto.ts';
import { splitVisitorMessageId } from './widget-payload.ts';

interface VisitorSocketState {
  channelId: string;
  accountId: string;
  externalId: string;
  /** When this visitor's "typing" was last passed on (0 = not typing). */
  typingAt: number;
  /** The conversation typing goes to, looked up at most every TYPING_TARGET_MS. */
  typingTarget?: { at: number; conversationId: string | null; name: string | null };
}

/** A visitor's repeated "typing" is passed on at most this often (the widget repeats it every 3 s). */
const VISITOR_TYPING_EVERY_MS = 1500;
const TYPING_TARGET_MS = 10_000;

/** How long the widget has to acknowledge a pushed message before we stop waiting for it. */
const ACK_TIMEOUT_MS = 15_000;
/** A receipt for a reply whose send job has not recorded it yet is tried again this often. */
const RECEIPT_RETRY_MS = 500;
const RECEIPT_RETRIES = 20;

/**
 * Real time for site visitors, on its own Socket.IO server and path (`/widget/socket.io`) so its open
 * CORS and visitor tokens never mix with the console's cookie-authenticated sockets. Every node
 * subscribes to the bus and pushes to the visitors connected to it: operator replies (from the widget
 * adapter's send), typing, and the visitor's own messages once stored (other tabs, and confirmation).
 * Missed pushes are not replayed here: the widget catches up over HTTP after every (re)connect.
 */
export class WidgetGateway {
  readonly io: Server;
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: AppContext,
    httpServer: HttpServer,
  ) {
    this.io = new Server(httpServer, {
      path: WIDGET_SOCKET_PATH,
      serveClient: false,
      cors: { origin: '*', credentials: false },
      maxHttpBufferSize: 16_384,
      // The console's server on the same HTTP server answers its own upgrades; leave the others alone.
      destroyUpgrade: false,
    });
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        (state) => {
          socket.data = state;
          next();
        },
        (err: Error & { code?: string }) =>
          next(Object.assign(new Error(err.message), { data: { code: err.code ?? 'unauthorized' } })),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  async start(): Promise<void> {
    this.unsubscribes.push(
      await this.ctx.bus.subscribe(WIDGET_TOPIC, (m) => this.onWidgetMessage(m as WidgetBusMessage)),
      await this.ctx.bus.subscribe(TOPICS.accountEvents, (m) => this.onAccountEvent(m as AccountEvent)),
    );
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribes.splice(0)) await u();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.io.disconnectSockets(true);
    // Only our engine: io.close() would also close the shared HTTP server and wait for the console's
    // sockets, which are closed after this.
    this.io.engine.close();
  }

  private async authenticate(socket: Socket): Promise<VisitorSocketState> {
    const auth = (socket.handshake.auth ?? {}) as { channelId?: unknown; token?: unknown };
    const unauthorized = (message: string) => Object.assign(new Error(message), { code: 'unauthorized' });
    if (typeof auth.channelId !== 'string' || typeof auth.token !== 'string' || auth.channelId.length > 64) {
      throw unauthorized('channelId and token are required');
    }
    const claims = verifyVisitorToken(this.ctx.config.secret, auth.token, auth.channelId);
    if (!claims) throw unauthorized('Invalid visitor token');
    const row = await this.ctx.db.kysely
      .selectFrom('channels')
      .select(['id', 'account_id', 'settings', 'active'])
      .where('id', '=', auth.channelId)
      .where('type', '=', 'widget')
      .executeTakeFirst();
    if (row?.active !== 1) throw Object.assign(new Error('Chat not found'), { code: 'not_found' });
    const origin = socket.handshake.headers.origin;
    if (!originAllowed(widgetSettingsOf(JSON.parse(row.settings)), origin)) {
      throw Object.assign(new Error('This chat is not enabled on this site'), { code: 'forbidden' });
    }
    return { channelId: row.id, accountId: row.account_id, externalId: claims.v, typingAt: 0 };
  }

  private onConnection(socket: Socket): void {
    const state = socket.data as VisitorSocketState;
    void socket.join(visitorRoom(state.channelId, state.externalId));
    socket.on(WIDGET_SOCKET.receipt, (arg: unknown) => {
      const r = arg as { status?: unknown; messageIds?: unknown } | null;
      const status = RECEIPT_STATUSES.find((s) => s === r?.status);
      const ids = Array.isArray(r?.messageIds)
        ? r.messageIds.filter((x): x is string => typeof x === 'string' && x.length <= 64).slice(0, 200)
        : [];
      if (status && ids.length > 0) this.receipt(state, status, ids, 0);
    });
    socket.on(WIDGET_SOCKET.typing, (arg: unknown) => {
      const typing = (arg as { typing?: unknown } | null)?.typing === true;
      const now = this.ctx.clock.now();
      if (typing ? now - state.typingAt < VISITOR_TYPING_EVERY_MS : state.typingAt === 0) return;
      state.typingAt = typing ? now : 0;
      this.visitorTyping(state, typing).catch((err) => this.ctx.log.warn({ err }, 'widget typing failed'));
    });
    socket.on('disconnect', () => {
      if (state.typingAt !== 0) void this.visitorTyping(state, false).catch(() => {});
    });
    socket.emit(WIDGET_SOCKET.ready, {});
  }

  /** Stores a receipt; replies still queued (the ack outran the send job's commit) are tried again. */
  private receipt(state: VisitorSocketState, status: 'delivered' | 'read', ids: string[], attempt: number) {
    void this.visitor(state)
      .then(async (v) => {
        if (!v) return;
        const { queued } = await recordReceipts(this.ctx, v, status, ids);
        if (queued.length > 0 && attempt < RECEIPT_RETRIES) {
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.receipt(state, status, queued, attempt + 1);
          }, RECEIPT_RETRY_MS);
          this.timers.add(t);
        }
      })
      .catch((err) => this.ctx.log.warn({ err }, 'widget receipt failed'));
  }

  /**
   * Tells the operators who have the visitor's open conversation on screen (any node) that the visitor
   * is typing. Nothing is shown before the visitor's first message made a conversation.
   */
  private async visitorTyping(state: VisitorSocketState, typing: boolean): Promise<void> {
    const now = this.ctx.clock.now();
    let target = state.typingTarget;
    if (!target || now - target.at >= TYPING_TARGET_MS) {
      const row = await this.ctx.db.kysely
        .selectFrom('contact_identities as ci')
        .innerJoin('conversations as c', 'c.contact_id', 'ci.contact_id')
        .innerJoin('contacts as ct', 'ct.id', 'ci.contact_id')
        .select(['c.id', 'ct.name'])
        .where('ci.account_id', '=', state.accountId)
        .where('ci.channel_id', '=', state.channelId)
        .where('ci.external_id', '=', state.externalId)
        .where('c.channel_id', '=', state.channelId)
        .where('c.status', '!=', 'resolved')
        .orderBy('c.created_at', 'desc')
        .executeTakeFirst();
      target = { at: now, conversationId: row?.id ?? null, name: row?.name ?? null };
      state.typingTarget = target;
    }
    if (!target.conversationId) return;
    await publishTyping(this.ctx.bus, {
      accountId: state.accountId,
      conversationId: target.conversationId,
      who: { kind: 'contact', name: target.name },
      typing,
      private: false,
    });
  }

  private async visitor(state: VisitorSocketState): Promise<Visitor | undefined> {
    const channel = await this.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', state.channelId)
      .executeTakeFirst();
    return channel ? { channel, externalId: state.externalId } : undefined;
  }

  private sockets(room: string): Socket[] {
    const out: Socket[] = [];
    for (const id of this.io.sockets.adapter.rooms.get(room) ?? []) {
      const s = this.io.sockets.sockets.get(id);
      if (s) out.push(s);
    }
    return out;
  }

  private onWidgetMessage(m: WidgetBusMessage): void {
    if (m.kind === 'center') {
      void this.pushCenterState(m.accountId).catch((err) =>
        this.ctx.log.warn({ err }, 'widget: pushing the center state failed'),
      );
      return;
    }
    const sockets = this.sockets(visitorRoom(m.channelId, m.externalId));
    if (m.kind === 'typing') {
      for (const s of sockets) s.emit(WIDGET_SOCKET.typing, { typing: m.typing, name: m.name });
      return;
    }
    for (const s of sockets) {
      const state = s.data as VisitorSocketState;
      s.timeout(ACK_TIMEOUT_MS).emit(WIDGET_SOCKET.message, m.message, (err: Error | null) => {
        if (!err) this.receipt(state, 'delivered', [m.message.id], 0);
      });
    }
  }

  /** A visitor's own message, once stored, goes to all of that visitor's tabs. */
  private onAccountEvent(e: AccountEvent): void {
    if (e.type === 'presence.updated') {
      void this.pushCenterState(e.accountId).catch((err) =>
        this.ctx.log.warn({ err }, 'widget: pushing the center state failed'),
      );
      return;
    }
    if (e.type !== 'message.created') return;
    const m = e.payload as MessageDto;
    if (m.direction !== 'in' || m.authorKind !== 'contact' || !m.providerMessageId) return;
    const ids = splitVisitorMessageId(m.providerMessageId);
    if (!ids) return;
    const sockets = this.sockets(visitorRoom(m.channelId, ids.externalId));
    if (sockets.length === 0) return;
    const dto = visitorMessageFromDto(m);
    for (const s of sockets) {
      // Rooms are keyed by the widget channel, so only that channel's visitor can be in this one.
      const state = s.data as VisitorSocketState;
      if (state.accountId !== e.accountId) continue;
      // The message may have opened a new conversation: typing goes there from now on.
      state.typingTarget = undefined;
      s.emit(WIDGET_SOCKET.message, dto);
    }
  }

  /**
   * An operator's availability decides whether the center is online: the visitors of the account's
   * widgets on this node see "We are offline" turn to online (and back) without a reload.
   */
  private async pushCenterState(accountId: string): Promise<void> {
    const byChannel = new Map<string, Socket[]>();
    for (const s of this.io.of('/').sockets.values()) {
      const state = s.data as VisitorSocketState;
      if (state.accountId !== accountId) continue;
      byChannel.set(state.channelId, [...(byChannel.get(state.channelId) ?? []), s]);
    }
    for (const [channelId, sockets] of byChannel) {
      const row = await this.ctx.db.kysely
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', channelId)
        .executeTakeFirst();
      if (!row) continue;
      const a = await widgetAvailability(this.ctx, row);
      const payload = {
        online: a.online,
        offlineReason: a.online ? null : a.reason,
        nextOpenAt: a.nextOpenAt,
      };
      for (const s of sockets) s.emit(WIDGET_SOCKET.center, payload);
    }
  }
}
