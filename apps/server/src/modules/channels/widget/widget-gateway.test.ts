import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../../test/node-services.ts';
import { createTestApp, type TestApp } from '../../../../test/test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import {
  VisitorClient,
  VisitorSocket,
  createWidgetChannel,
  serveWithWidgetGateway,
} from './widget-test-kit.ts';

const dialects = await testDialects();

describe.each(dialects)('site widget sockets (%s)', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let channelId: string;
  const sockets: VisitorSocket[] = [];

  beforeEach(async () => {
    t = await createTestApp(dialect);
    channelId = (await createWidgetChannel(t)).id;
    server = await serveWithWidgetGateway(t);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.close();
    await t.close();
  });

  async function visitorWithConversation(text = 'hello') {
    const v = new VisitorClient(t, channelId);
    await v.session();
    expect((await v.send(`c-${Math.random().toString(36).slice(2, 12)}`, text)).statusCode).toBe(202);
    await t.drainJobs();
    const convs = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items;
    const conv =
      convs.find((c: { lastMessagePreview?: string }) => c.lastMessagePreview === text) ?? convs[0];
    return { v, conversationId: conv.id as string };
  }
  const connect = async (v: VisitorClient, origin?: string) => {
    const s = await VisitorSocket.connect(server.url, { channelId, token: v.token }, origin);
    sockets.push(s);
    return s;
  };
  const reply = (conversationId: string, text: string) =>
    t.as(t.admin, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text,
      clientMessageId: `op-${Math.random().toString(36).slice(2)}`,
    });
  const deliveryStatus = async (conversationId: string, id: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/conversations/${conversationId}/messages`))
      .json()
      .items.find((m: { id: string }) => m.id === id)?.deliveryStatus;

  it('refuses sockets without a genuine token for the channel', async () => {
    const v = new VisitorClient(t, channelId);
    await v.session();
    await expect(
      VisitorSocket.connect(server.url, { channelId, token: `${v.token}x` }),
    ).rejects.toMatchObject({
      data: { code: 'unauthorized' },
    });
    const other = await createWidgetChannel(t);
    await expect(
      VisitorSocket.connect(server.url, { channelId: other.id, token: v.token }),
    ).rejects.toMatchObject({
      data: { code: 'unauthorized' },
    });
  });

  it('pushes an operator reply to the visitor, and the acknowledgement marks it delivered', async () => {
    const { v, conversationId } = await visitorWithConversation();
    const s = await connect(v);
    const sent = await reply(conversationId, 'We are on it <script>alert(1)</script>');
    expect(sent.statusCode).toBe(202);
    await t.drainJobs();
    const pushed = await s.waitForMessage((m) => m.direction === 'out');
    expect(pushed).toMatchObject({
      id: sent.json().id,
      text: 'We are on it <script>alert(1)</script>',
      authorName: 'Ada Admin',
    });
    // The ack became a stored receipt; the worker applies it like any provider status.
    await waitUntil('the delivery receipt', async () => {
      await t.drainJobs();
      return (await deliveryStatus(conversationId, sent.json().id)) === 'delivered';
    });
  });

  it('does not mark a reply delivered when the widget never acknowledged it', async () => {
    const { v, conversationId } = await visitorWithConversation();
    const s = await connect(v);
    s.ack = false;
    const sent = await reply(conversationId, 'unacknowledged');
    await t.drainJobs();
    await s.waitForMessage((m) => m.id === sent.json().id);
    await new Promise((r) => setTimeout(r, 200));
    await t.drainJobs();
    expect(await deliveryStatus(conversationId, sent.json().id)).toBe('sent');
  });

  it('tells every tab of the visitor about their own stored message', async () => {
    const { v } = await visitorWithConversation();
    const tab1 = await connect(v);
    const tab2 = await connect(v);
    await v.send('tab-message-1', 'typed in tab 1');
    await t.drainJobs();
    for (const tab of [tab1, tab2]) {
      expect(await tab.waitForMessage((m) => m.clientMessageId === 'tab-message-1')).toMatchObject({
        direction: 'in',
        text: 'typed in tab 1',
      });
    }
  });

  it('shows operator typing only to that conversation’s visitor', async () => {
    const a = await visitorWithConversation('from a');
    const b = await visitorWithConversation('from b');
    const sa = await connect(a.v);
    const sb = await connect(b.v);
    const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${a.conversationId}/typing`, {
      typing: true,
    });
    expect(r.statusCode).toBe(204);
    await waitUntil('typing', () => sa.typing.length > 0);
    expect(sa.typing[0]).toEqual({ typing: true, name: 'Ada Admin' });
    const sent = await reply(a.conversationId, 'only for a');
    await t.drainJobs();
    await sa.waitForMessage((m) => m.id === sent.json().id);
    expect(sb.typing).toEqual([]);
    expect(sb.messages.find((m) => m.id === sent.json().id)).toBeUndefined();
  });

  it('a reply sent while the visitor was away is fetched after reconnecting', async () => {
    const { v, conversationId } = await visitorWithConversation();
    const s = await connect(v);
    const before = (await v.messages()).items;
    const lastSeen = Math.max(...before.map((m) => m.updatedAt));
    s.close();
    const sent = await reply(conversationId, 'while you were away');
    await t.drainJobs();
    // The widget reconnects and asks for what changed since (a margin before) the last change it saw.
    const again = await connect(v);
    const caughtUp = await v.messages(`?since=${lastSeen - 30_000}`);
    expect(caughtUp.items.map((m) => m.text)).toContain('while you were away');
    expect(again.messages).toEqual([]);
    // Its receipt (sent by the widget over the socket once shown) marks it delivered.
    again.socket.emit('receipt', { status: 'delivered', messageIds: [sent.json().id] });
    await waitUntil('the delivery receipt', async () => {
      await t.drainJobs();
      return (await deliveryStatus(conversationId, sent.json().id)) === 'delivered';
    });
  });
});
