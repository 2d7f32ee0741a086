import type { Server as HttpServer } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import {
  type AccountEvent,
  type ConversationViewers,
  isEvent,
  REPLAY_TOO_OLD,
  type ResyncSignal,
  SOCKET,
} from '@switchboard/shared';
import { Server, type Socket } from 'socket.io';
import type { AppContext } from '../../app-context.ts';
import { TOPICS } from '../../infra/bus/event-bus.port.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { assertUnrestricted, type Principal } from '../auth/principal.ts';
import {
  API_TOKEN_PREFIX,
  SESSION_COOKIE,
  principalFromApiToken,
  principalFromSession,
} from '../auth/session.service.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import { eventsSince } from '../events/event-log.ts';
import { LiveActivity } from './live-activity.ts';
import { cookieHandshakeAllowed } from './socket-origin.ts';
import { canSee } from './visibility.ts';

interface Credential {
  kind: 'session' | 'apiToken';
  token: string;
}

interface SocketState {
  credential: Credential;
  principal: Principal;
  teamIds: Set<string>;
  /** When the credential, role and teams were last confirmed against the database. */
  checkedAt: number;
  /** Highest account sequence number this socket has been brought up to. */
  lastSeq: number;
  /** Serialises delivery so catch-up and live events never interleave out of order. */
  chain: Promise<void>;
  /** The conversation this tab has open (ephemeral presence), with the team it belonged to when last seen. */
  viewing: { conversationId: string; teamId: string | null } | null;
  /** Counts `view` requests, so a slower earlier one never overrides a later one. */
  viewSeq: number;
}

/** What the console hears back from `view`. */
type ViewAck = { ok: true; viewers: ConversationViewers['viewers'] } | { ok: false; code: string };

const CATCH_UP_PAGE = 500;
/**
 * How stale a socket's authorisation may get. A logout, revoked token, deactivation or team change
 * reaches open sockets within this time (checked before the next delivery), without a query per event.
 */
export const REVALIDATE_MS = 30_000;

/**
 * Socket.IO gateway. Every node subscribes to the bus and pushes account events to its own sockets, in
 * sequence order per socket; a socket that sees a gap (event from another node arrived early, or a
 * bus message was lost) is filled from the event log, and a reconnecting client replays from its lastSeq.
 */
export class SocketGateway {
  readonly io: Server;
  readonly live: LiveActivity;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly ctx: AppContext,
    httpServer: HttpServer,
  ) {
    this.io = new Server(httpServer, {
      path: '/socket.io',
      serveClient: false,
      cors: { origin: false },
      // A tab that vanished without a goodbye (a crash, a lost network, still on long-polling) is
      // noticed within 15 s instead of the default 45 s: its "also viewing" marker and presence go too.
      pingInterval: 10_000,
      pingTimeout: 5_000,
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
    this.live = new LiveActivity(ctx, {
      toViewers: (accountId, conversationId, event, payload) =>
        this.toViewers(accountId, conversationId, event, payload),
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.ctx.bus.subscribe(TOPICS.accountEvents, (m) =>
      this.onBusEvent(m as AccountEvent),
    );
    await this.live.start();
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
    await this.live.close();
    this.io.disconnectSockets(true);
    // Only our engine: io.close() would also close the HTTP server, and wait for every keep-alive
    // connection a client still holds. Fastify's own close() ends the server, idle connections first.
    this.io.engine.close();
  }

  private async authenticate(socket: Socket): Promise<SocketState> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastSeq?: unknown };
    const bearer = /^Bearer\s+(\S+)$/i.exec(socket.handshake.headers.authorization ?? '')?.[1];
    const explicit = typeof auth.token === 'string' ? auth.token : bearer;
    let credential: Credential;
    if (explicit?.startsWith(API_TOKEN_PREFIX)) {
      credential = { kind: 'apiToken', token: explicit };
    } else if (explicit) {
      credential = { kind: 'session', token: explicit };
    } else {
      // The browser attaches the cookie to any page's handshake (cross-site WebSocket hijacking): only
      // the console's own pages may use it. A token in the handshake is one the page already holds.
      const token = fastifyCookie.parse(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
      if (!token) throw Object.assign(new Error('Sign in first'), { code: 'unauthorized' });
      if (!cookieHandshakeAllowed(this.ctx.config, socket.handshake.headers, socket.handshake.secure)) {
        throw Object.assign(
          new Error(
            'Live updates with the console session are only for the console itself; use an API token',
          ),
          { code: 'forbidden' },
        );
      }
      credential = { kind: 'session', token };
    }
    const { principal, teamIds } = await this.authorise(credential);
    const account = await this.ctx.db.kysely
      .selectFrom('accounts')
      .select('event_seq')
      .where('id', '=', principal.accountId)
      .executeTakeFirstOrThrow();
    const asked = Number(auth.lastSeq);
    const lastSeq =
      Number.isInteger(asked) && asked >= 0 && asked <= account.event_seq ? asked : account.event_seq;
    return {
      credential,
      principal,
      teamIds,
      checkedAt: this.ctx.clock.now(),
      lastSeq,
      chain: Promise.resolve(),
      viewing: null,
      viewSeq: 0,
    };
  }

  /** Who the credential stands for now, and their teams; throws (401) when it no longer holds. */
  private async authorise(
    c: Credential,
    touch = true,
  ): Promise<{ principal: Principal; teamIds: Set<string> }> {
    const principal =
      c.kind === 'apiToken'
        ? await principalFromApiToken(this.ctx, c.token)
        : await principalFromSession(this.ctx, c.token, { touch });
    // A session that has yet to change its password or enrol 2FA sees no live events.
    assertUnrestricted(principal);
    const teams = await this.ctx.db.kysely
      .selectFrom('team_members')
      .select('team_id')
      .where('user_id', '=', principal.userId)
      .where('account_id', '=', principal.accountId)
      .execute();
    return { principal, teamIds: new Set(teams.map((t) => t.team_id)) };
  }

  /** Refreshes a stale authorisation; a socket whose credential no longer holds is disconnected. */
  private async stillAuthorised(socket: Socket): Promise<boolean> {
    const state = socket.data as SocketState;
    const now = this.ctx.clock.now();
    if (now - state.checkedAt < REVALIDATE_MS) return true;
    try {
      // A handshake is activity; the periodic re-check is not (an idle open tab must still time out).
      const fresh = await this.authorise(state.credential, false);
      if (fresh.principal.accountId !== state.principal.accountId) throw new Error('account changed');
      state.principal = fresh.principal;
      state.teamIds = fresh.teamIds;
      state.checkedAt = now;
      return true;
    } catch (err) {
      if (!(err instanceof DomainError)) {
        // The database hiccuped: keep the socket; the check runs again before the next delivery.
        this.ctx.log.warn({ err }, 'socket re-authorisation failed');
        return true;
      }
      socket.disconnect(true);
      return false;
    }
  }

  private onConnection(socket: Socket): void {
    const state = socket.data as SocketState;
    void socket.join(`account:${state.principal.accountId}`);
    // Replay what the client missed (if it said where it stopped), then tell it it is live.
    this.enqueue(socket, async () => {
      await this.catchUp(socket, Number.MAX_SAFE_INTEGER);
      socket.emit(SOCKET.ready, { seq: state.lastSeq });
    });
    socket.on(SOCKET.sync, (arg: unknown, ack?: unknown) => {
      const after = Number((arg as { afterSeq?: unknown } | null)?.afterSeq);
      this.enqueue(socket, async () => {
        if (Number.isInteger(after) && after >= 0 && after < state.lastSeq) state.lastSeq = after;
        await this.catchUp(socket, Number.MAX_SAFE_INTEGER);
        if (typeof ack === 'function') ack({ seq: state.lastSeq });
      });
    });
    socket.on(SOCKET.view, (arg: unknown, ack?: unknown) => {
      const id = (arg as { conversationId?: unknown } | null)?.conversationId;
      const reply = (a: ViewAck) => {
        if (typeof ack === 'function') ack(a);
      };
      if (id !== null && (typeof id !== 'string' || id.length === 0 || id.length > 64)) {
        reply({ ok: false, code: 'validation_error' });
        return;
      }
      this.view(socket, id).then(reply, (err: Error & { code?: string }) => {
        if (!(err instanceof DomainError)) this.ctx.log.warn({ err }, 'socket view failed');
        reply({ ok: false, code: err instanceof DomainError ? err.code : 'internal' });
      });
    });
    socket.on('disconnect', () => {
      state.viewSeq++;
      state.viewing = null;
      this.live.setView(socket.id, null);
    });
  }

  /**
   * Opens (or, with null, closes) this tab's presence in a conversation it may see. Only the latest
   * request counts: a tab that switches conversations quickly ends up in the last one.
   */
  private async view(socket: Socket, conversationId: string | null): Promise<ViewAck> {
    const state = socket.data as SocketState;
    const mine = ++state.viewSeq;
    const previous = state.viewing;
    if (conversationId === null) {
      this.leave(socket);
      return { ok: true, viewers: [] };
    }
    if (!(await this.stillAuthorised(socket))) return { ok: false, code: 'unauthorized' };
    const p = state.principal;
    const conv = await loadVisibleConversation(this.ctx, p, conversationId).catch((err) => {
      if (mine === state.viewSeq) this.leave(socket);
      throw err;
    });
    const user = await this.ctx.db.kysely
      .selectFrom('users')
      .select('name')
      .where('id', '=', p.userId)
      .executeTakeFirst();
    if (mine !== state.viewSeq || !socket.connected) return { ok: false, code: 'conflict' };
    if (previous && previous.conversationId !== conv.id)
      void socket.leave(viewRoom(p.accountId, previous.conversationId));
    state.viewing = { conversationId: conv.id, teamId: conv.team_id };
    void socket.join(viewRoom(p.accountId, conv.id));
    this.live.setView(socket.id, {
      accountId: p.accountId,
      conversationId: conv.id,
      userId: p.userId,
      name: user?.name ?? '',
    });
    return { ok: true, viewers: this.live.viewersOf(p.accountId, conv.id) };
  }

  private leave(socket: Socket): void {
    const state = socket.data as SocketState;
    if (state.viewing) void socket.leave(viewRoom(state.principal.accountId, state.viewing.conversationId));
    state.viewing = null;
    this.live.setView(socket.id, null);
  }

  /** Ephemeral signals for one conversation, to this node's tabs that have it open and may still see it. */
  private toViewers(accountId: string, conversationId: string, event: string, payload: unknown): void {
    for (const id of this.io.sockets.adapter.rooms.get(viewRoom(accountId, conversationId)) ?? []) {
      const s = this.io.sockets.sockets.get(id);
      const state = s?.data as SocketState | undefined;
      if (!s?.connected || state?.viewing?.conversationId !== conversationId) continue;
      if (canSee(state.principal, state.teamIds, { accountId, teamId: state.viewing.teamId }))
        s.emit(event, payload);
    }
  }

  /**
   * A conversation a tab has open moved to another team: follow it, and leave its presence when this
   * operator may no longer see it (they also stop getting its events, by the same rule).
   */
  private followViewed(socket: Socket, e: AccountEvent): void {
    const state = socket.data as SocketState;
    if (!isEvent(e, 'conversation.updated') || !state.viewing) return;
    if (e.payload.id !== state.viewing.conversationId) return;
    state.viewing.teamId = e.teamId;
    if (canSee(state.principal, state.teamIds, e)) return;
    const gone: ConversationViewers = { conversationId: state.viewing.conversationId, viewers: [] };
    state.viewSeq++;
    this.leave(socket);
    socket.emit(SOCKET.viewers, gone);
  }

  private onBusEvent(e: AccountEvent): void {
    for (const socket of this.io.sockets.adapter.rooms.get(`account:${e.accountId}`) ?? []) {
      const s = this.io.sockets.sockets.get(socket);
      if (s) this.enqueue(s, () => this.deliver(s, e));
    }
  }

  private enqueue(socket: Socket, task: () => Promise<void>): void {
    const state = socket.data as SocketState;
    state.chain = state.chain
      .then(async () => {
        if (socket.connected && (await this.stillAuthorised(socket))) await task();
      })
      .catch((err) => this.ctx.log.warn({ err }, 'socket delivery failed'));
  }

  private async deliver(socket: Socket, e: AccountEvent): Promise<void> {
    const state = socket.data as SocketState;
    if (e.seq <= state.lastSeq) return;
    if (e.seq > state.lastSeq + 1) await this.catchUp(socket, e.seq - 1);
    if (e.seq !== state.lastSeq + 1) return;
    state.lastSeq = e.seq;
    this.followViewed(socket, e);
    if (canSee(state.principal, state.teamIds, e)) socket.emit(SOCKET.event, e);
  }

  /**
   * Sends events after the socket's lastSeq up to `untilSeq` from the durable event log. Sequence
   * numbers have no gaps, so a log that starts after lastSeq + 1 means retention pruned what the client
   * missed: it is told `replay_too_old` and resumes live from the current sequence number.
   */
  private async catchUp(socket: Socket, untilSeq: number): Promise<void> {
    const state = socket.data as SocketState;
    for (let first = true; ; first = false) {
      const page = await eventsSince(this.ctx, state.principal.accountId, state.lastSeq, CATCH_UP_PAGE);
      if (first && (await this.pruned(state, page[0]?.seq))) {
        const seq = await this.currentSeq(state.principal.accountId);
        state.lastSeq = Math.max(state.lastSeq, seq);
        const signal: ResyncSignal = { code: REPLAY_TOO_OLD, seq: state.lastSeq };
        socket.emit(SOCKET.resync, signal);
        return;
      }
      for (const e of page) {
        if (e.seq > untilSeq) return;
        state.lastSeq = e.seq;
        this.followViewed(socket, e);
        if (canSee(state.principal, state.teamIds, e)) socket.emit(SOCKET.event, e);
      }
      if (page.length < CATCH_UP_PAGE) return;
    }
  }

  /** True when events right after the socket's lastSeq are no longer in the log. */
  private async pruned(state: SocketState, firstSeq: number | undefined): Promise<boolean> {
    if (firstSeq !== undefined) return firstSeq > state.lastSeq + 1;
    if ((await this.currentSeq(state.principal.accountId)) <= state.lastSeq) return false;
    // An event committed after the empty read: every event up to the counter just read is visible now.
    const next = await eventsSince(this.ctx, state.principal.accountId, state.lastSeq, 1);
    return next[0] === undefined || next[0].seq > state.lastSeq + 1;
  }

  private async currentSeq(accountId: string): Promise<number> {
    const a = await this.ctx.db.kysely
      .selectFrom('accounts')
      .select('event_seq')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    return a.event_seq;
  }
}

const viewRoom = (accountId: string, conversationId: string) => `view:${accountId}:${conversationId}`;
