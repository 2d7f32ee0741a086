import { SOCKET } from '@switchboard/shared';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SocketProbe } from '../../../test/socket-harness.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { signApiBody } from '../channels/api/api-signature.ts';
import {
  VisitorClient,
  VisitorSocket,
  createWidgetChannel,
  serveWithWidgetGateway,
} from '../channels/widget/widget-test-kit.ts';
import { WIDGET_SOCKET_PATH } from '../channels/widget/widget-bus.ts';

const dialects = await testDialects();

/**
 * Cross-site WebSocket hijacking: a page elsewhere (the business's own site, same-site with the console
 * or not) opens the console's socket and the browser attaches the operator's session cookie. Real
 * Socket.IO clients over real HTTP and WebSocket, with the headers a browser sends.
 */
describe.each(dialects)('console socket origin (%s)', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  const probes: SocketProbe[] = [];
  const visitors: VisitorSocket[] = [];

  async function start(env: Record<string, string> = {}) {
    t = await createTestApp(dialect, { env });
    server = await serveWithWidgetGateway(t);
  }
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    for (const v of visitors.splice(0)) v.close();
    await server.close();
    await t.close();
  });
  const connect = async (c: Parameters<typeof SocketProbe.connect>[1]) => {
    const p = await SocketProbe.connect(server.url, c);
    probes.push(p);
    return p;
  };

  async function inboundOnApiChannel() {
    const ch = (
      await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop', settings: {} })
    ).json();
    const raw = JSON.stringify({
      eventId: `evt-${Math.random()}`,
      contact: { externalId: 'cust-1', name: 'Mary', phone: '+79990001122' },
      message: { externalId: `m-${Math.random()}`, text: 'where is my order' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${ch.id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(ch.connection.secret, raw),
      },
      payload: raw,
    });
    expect(res.statusCode).toBe(200);
    await t.drainJobs();
  }

  describe('without PUBLIC_URL', () => {
    beforeEach(() => start());

    it('refuses a foreign Origin carrying the session cookie, over polling and over WebSocket', async () => {
      for (const origin of ['https://evil.example', 'http://shop.127.0.0.1.nip.io', 'null']) {
        for (const transports of [undefined, ['websocket' as const]]) {
          const err = await SocketProbe.refused(server.url, {
            cookie: t.admin.cookie,
            headers: { origin },
            transports,
          });
          expect(err.data?.code, `${origin} ${transports ?? 'polling'}`).toBe('forbidden');
        }
      }
      // A no-Origin request that Fetch Metadata marks as coming from another site is refused too.
      const sneaky = await SocketProbe.refused(server.url, {
        cookie: t.admin.cookie,
        headers: { 'sec-fetch-site': 'same-site' },
      });
      expect(sneaky.data?.code).toBe('forbidden');
    });

    it('accepts the console’s own origin (its Host) with the cookie, and delivers events', async () => {
      const p = await connect({ cookie: t.admin.cookie, headers: { origin: server.url } });
      const ws = await connect({
        cookie: t.admin.cookie,
        headers: { origin: server.url, 'sec-fetch-site': 'same-origin' },
        transports: ['websocket'],
      });
      // Same-origin long-polling GETs carry no Origin in browsers.
      const plain = await connect({ cookie: t.admin.cookie, headers: { 'sec-fetch-site': 'same-origin' } });
      await inboundOnApiChannel();
      for (const probe of [p, ws, plain]) await probe.waitForEvent((e) => e.type === 'message.created');
    });

    it('accepts an API token from any origin, in the auth payload or as a Bearer header', async () => {
      const { token } = (await t.as(t.admin, 'POST', '/api/v1/tokens', { name: 'dashboard' })).json();
      const a = await connect({ token, headers: { origin: 'https://dashboard.example' } });
      const b = await connect({
        headers: { origin: 'https://dashboard.example', authorization: `Bearer ${token}` },
        transports: ['websocket'],
      });
      await inboundOnApiChannel();
      await a.waitForEvent((e) => e.type === 'message.created');
      await b.waitForEvent((e) => e.type === 'message.created');
    });

    it('the widget socket takes visitor tokens only and never hears operator events', async () => {
      // The session cookie opens nothing on the widget's path.
      const cookieOnly = io(server.url, {
        path: WIDGET_SOCKET_PATH,
        forceNew: true,
        reconnection: false,
        transports: ['websocket'],
        extraHeaders: { cookie: t.admin.cookie, origin: 'https://shop.example' },
      });
      const refused = await new Promise<{ data?: { code?: string } }>((resolve) =>
        cookieOnly.once('connect_error', resolve),
      );
      cookieOnly.close();
      expect(refused.data?.code).toBe('unauthorized');
      // Nor does a visitor token open the console's socket.
      const channelId = (await createWidgetChannel(t)).id;
      const v = new VisitorClient(t, channelId);
      await v.session();
      const visitorOnConsole = await SocketProbe.refused(server.url, {
        token: v.token,
        headers: { origin: 'https://shop.example' },
      });
      expect(visitorOnConsole.data?.code).toBe('unauthorized');

      // A connected visitor: operators write a private note in its conversation, and other customers
      // write in; the visitor's socket gets nothing but its own message.
      expect((await v.send('c-first-message-1', 'hello')).statusCode).toBe(202);
      await t.drainJobs();
      const s = await VisitorSocket.connect(server.url, { channelId, token: v.token });
      visitors.push(s);
      const heard: string[] = [];
      s.socket.onAny((name: string) => heard.push(name));
      const conv = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0];
      const note = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
        text: 'VIP, phone +79990001122',
        clientMessageId: 'note-1',
        private: true,
      });
      expect(note.statusCode).toBe(201);
      await inboundOnApiChannel();
      expect((await v.send('c-second-message-2', 'again')).statusCode).toBe(202);
      await t.drainJobs();
      await s.waitForMessage((m) => m.text === 'again');
      expect(s.messages.map((m) => m.text)).toEqual(['again']);
      expect(heard.every((name) => name !== SOCKET.event && name !== SOCKET.ready)).toBe(true);
    });
  });

  describe('with PUBLIC_URL', () => {
    beforeEach(() => start({ PUBLIC_URL: 'https://chat.example.com' }));

    it('accepts PUBLIC_URL’s origin and refuses a same-site neighbour', async () => {
      await connect({ cookie: t.admin.cookie, headers: { origin: 'https://chat.example.com' } });
      for (const origin of [
        'https://www.example.com',
        'http://chat.example.com',
        'https://chat.example.com:8443',
      ]) {
        const err = await SocketProbe.refused(server.url, { cookie: t.admin.cookie, headers: { origin } });
        expect(err.data?.code, origin).toBe('forbidden');
      }
    });
  });
});
