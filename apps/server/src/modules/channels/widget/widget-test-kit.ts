import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { waitUntil } from '../../../../test/node-services.ts';
import type { Session, TestApp } from '../../../../test/test-app.ts';
import { SocketGateway } from '../../realtime/socket-gateway.ts';
import { WIDGET_SOCKET, WIDGET_SOCKET_PATH } from './widget-bus.ts';
import { VISITOR_TOKEN_HEADER } from './widget-access.ts';
import { WidgetGateway } from './widget-gateway.ts';
import type { VisitorMessage } from '@switchboard/shared';

/** Test helpers for the widget: create channels, act as a visitor over HTTP and over the socket. */

export async function createWidgetChannel(
  t: TestApp,
  session: Session = t.admin,
  settings: Record<string, unknown> = {},
): Promise<{ id: string; identitySecret: string; snippet: string }> {
  const res = await t.as(session, 'POST', '/api/v1/channels', {
    type: 'widget',
    name: 'Site chat',
    settings,
  });
  if (res.statusCode !== 201) throw new Error(`channel create failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { id: body.id, identitySecret: body.connection.identitySecret, snippet: body.connection.snippet };
}

export class VisitorClient {
  token = '';
  visitorId = '';

  constructor(
    readonly t: TestApp,
    readonly channelId: string,
    readonly origin = 'https://shop.example',
  ) {}

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.t.app.inject({
      method: method as 'GET',
      url: `/api/v1/widget/${this.channelId}${path}`,
      headers: {
        origin: this.origin,
        ...(this.token ? { [VISITOR_TOKEN_HEADER]: this.token } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  }

  /** Starts (or resumes, with the held token) a session; throws unless it succeeds. */
  async session(body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
    const res = await this.request('POST', '/session', {
      ...(this.token ? { token: this.token } : {}),
      ...body,
    });
    if (res.statusCode !== 200) throw new Error(`session failed: ${res.statusCode} ${res.body}`);
    this.token = res.json().token;
    this.visitorId = res.json().visitorId;
    return res;
  }

  send(clientMessageId: string, text?: string, extra: Record<string, unknown> = {}) {
    return this.request('POST', '/messages', {
      clientMessageId,
      ...(text !== undefined ? { text } : {}),
      ...extra,
    });
  }

  async messages(query = ''): Promise<{ items: VisitorMessage[]; more: boolean }> {
    const res = await this.request('GET', `/messages${query}`);
    if (res.statusCode !== 200) throw new Error(`messages failed: ${res.statusCode} ${res.body}`);
    return res.json();
  }
}

/** Puts the test app on a port with both socket servers attached, as startNode does. */
export async function serveWithWidgetGateway(t: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  const widget = new WidgetGateway(t.ctx, t.app.server);
  await widget.start();
  const consoleGateway = new SocketGateway(t.ctx, t.app.server);
  await consoleGateway.start();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await widget.close();
      await consoleGateway.close();
    },
  };
}

/** A visitor's socket that records what it is pushed and acknowledges messages (like the widget). */
export class VisitorSocket {
  readonly messages: VisitorMessage[] = [];
  readonly typing: { typing: boolean; name: string | null }[] = [];
  ack = true;

  private constructor(readonly socket: Socket) {
    socket.on(WIDGET_SOCKET.message, (m: VisitorMessage, ack?: (ok: boolean) => void) => {
      this.messages.push(m);
      if (this.ack && typeof ack === 'function') ack(true);
    });
    socket.on(WIDGET_SOCKET.typing, (x: { typing: boolean; name: string | null }) => this.typing.push(x));
  }

  static async connect(
    url: string,
    auth: { channelId: string; token: string },
    origin = 'https://shop.example',
  ): Promise<VisitorSocket> {
    const socket = io(url, {
      path: WIDGET_SOCKET_PATH,
      autoConnect: false,
      reconnection: false,
      forceNew: true,
      transports: ['websocket'],
      auth,
      extraHeaders: { origin },
    });
    const v = new VisitorSocket(socket);
    const ready = new Promise<void>((resolve, reject) => {
      socket.once(WIDGET_SOCKET.ready, () => resolve());
      socket.once('connect_error', reject);
    });
    socket.connect();
    await ready;
    return v;
  }

  async waitForMessage(pred: (m: VisitorMessage) => boolean, timeoutMs = 5000): Promise<VisitorMessage> {
    return waitUntil('a pushed visitor message', () => this.messages.find(pred), timeoutMs);
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
