import type { ConversationReadPayload } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedTeam, seedUser } from '../../../test/seed.ts';
import { SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { channelKit } from '../../../test/channel-kit.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

describe.each(dialects)('read markers and unread counts (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let server: { url: string; close(): Promise<void> };
  const probes: SocketProbe[] = [];
  let channel: { id: string; secret: string };

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    server = await serveWithGateway(t);
    const res = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop' });
    channel = { id: res.json().id, secret: res.json().connection.secret };
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    await server.close();
    await t.close();
  });

  /** A customer message through the real webhook and worker; returns its conversation's id. */
  async function inbound(contact: string, text: string): Promise<string> {
    clock.advance(1000);
    await channelKit(t).inbound(channel, contact, text);
    const list = await t.as(t.admin, 'GET', '/api/v1/conversations');
    return list.json().items.find((c: { contact: { name: string } }) => c.contact.name === contact).id;
  }

  const unreadOf = async (s: Session, id: string): Promise<number> => {
    const list = await t.as(s, 'GET', '/api/v1/conversations');
    const fromList = list.json().items.find((c: { id: string }) => c.id === id)?.unreadCount;
    const one = await t.as(s, 'GET', `/api/v1/conversations/${id}`);
    expect(one.json().unreadCount).toBe(fromList);
    return fromList;
  };

  const messagesOf = async (id: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as {
      id: string;
      direction: string;
    }[];

  it('counts customer messages after each operator’s own marker, and moves it forward only', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const id = await inbound('maria', 'one');
    await inbound('maria', 'two');
    expect(await unreadOf(t.admin, id)).toBe(2);
    expect(await unreadOf(bob, id)).toBe(2);

    // Replies and private notes are not "unread" for anyone.
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'hi',
      clientMessageId: 'c-1',
    });
    expect(reply.statusCode).toBe(202);
    await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'note',
      private: true,
      clientMessageId: 'c-2',
    });
    expect(await unreadOf(bob, id)).toBe(2);

    // Read up to the first message: one left. Up to now: none. Only the reader's count changes.
    const first = (await messagesOf(id)).find((m) => m.direction === 'in')!;
    const partial = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`, { messageId: first.id });
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({
      conversationId: id,
      userId: t.admin.userId,
      lastReadMessageId: first.id,
      unreadCount: 1,
    });
    expect(await unreadOf(t.admin, id)).toBe(1);
    const all = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`);
    expect(all.json().unreadCount).toBe(0);
    expect(await unreadOf(t.admin, id)).toBe(0);
    expect(await unreadOf(bob, id)).toBe(2);

    // An older message cannot move the marker back (a slow tab must not undo another's read).
    const back = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`, { messageId: first.id });
    expect(back.json().unreadCount).toBe(0);
    expect(back.json().lastReadMessageId).toBe(all.json().lastReadMessageId);

    // A new customer message is unread again, for both.
    await inbound('maria', 'three');
    expect(await unreadOf(t.admin, id)).toBe(1);
    expect(await unreadOf(bob, id)).toBe(3);
    expect(bobId).toBeTruthy();
  });

  it('refuses a message of another conversation, unknown ids, and other accounts’ conversations (404)', async () => {
    const a = await inbound('ann', 'hello');
    const b = await inbound('ben', 'hello');
    const bMsg = (await messagesOf(b))[0]!;
    const wrong = await t.as(t.admin, 'POST', `/api/v1/conversations/${a}/read`, { messageId: bMsg.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('validation_error');
    const unknown = await t.as(t.admin, 'POST', '/api/v1/conversations/nope/read');
    expect(unknown.statusCode).toBe(404);

    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const globex = await t.login('root@globex.test', 'globex password');
    expect(globex.accountId).toBe(other.accountId);
    const foreign = await t.as(globex, 'POST', `/api/v1/conversations/${a}/read`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    // Nothing was written for the foreign user.
    const rows = await t.ctx.db.kysely.selectFrom('conversation_reads').selectAll().execute();
    expect(rows.filter((r) => r.user_id === globex.userId)).toEqual([]);
  });

  it('hides another team’s conversation from an operator (404), as every other read does', async () => {
    const opId = await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const teamId = await seedTeam(t.ctx, t.admin.accountId, 'Billing', []);
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId });
    const res = await t.as(op, 'POST', `/api/v1/conversations/${conversationIds[0]}/read`);
    expect(res.statusCode).toBe(404);
    expect(opId).toBeTruthy();
  });

  it('tells the reader’s other consoles live, and nobody else', async () => {
    await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const id = await inbound('maria', 'hello');
    const tabA = await SocketProbe.connect(server.url, { cookie: t.admin.cookie });
    const tabB = await SocketProbe.connect(server.url, { cookie: t.admin.cookie });
    const bobTab = await SocketProbe.connect(server.url, { cookie: bob.cookie });
    probes.push(tabA, tabB, bobTab);

    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`);
    expect(res.statusCode).toBe(200);
    for (const tab of [tabA, tabB]) {
      const e = await tab.waitForEvent((x) => x.type === 'conversation.read');
      expect(e.payload as ConversationReadPayload).toEqual(res.json());
    }
    // Bob's socket has been brought up to the same sequence number without receiving it.
    await bobTab.sync();
    expect(bobTab.events.filter((e) => e.type === 'conversation.read')).toEqual([]);

    // Marking read again changes nothing and announces nothing.
    const before = tabA.events.length;
    await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`);
    await tabA.sync();
    expect(tabA.events.length).toBe(before);

    // Bob's own read reaches Bob.
    await t.as(bob, 'POST', `/api/v1/conversations/${id}/read`);
    const mine = await bobTab.waitForEvent((x) => x.type === 'conversation.read');
    expect((mine.payload as ConversationReadPayload).userId).toBe(bob.userId);
  });

  it('marks a conversation unread again: back to just before the newest customer message, for the caller only', async () => {
    await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const id = await inbound('maria', 'one');
    await inbound('maria', 'two');
    clock.advance(1000);
    await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'hi',
      clientMessageId: 'c-1',
    });
    await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`);
    await t.as(bob, 'POST', `/api/v1/conversations/${id}/read`);
    expect(await unreadOf(t.admin, id)).toBe(0);

    const tabA = await SocketProbe.connect(server.url, { cookie: t.admin.cookie });
    const bobTab = await SocketProbe.connect(server.url, { cookie: bob.cookie });
    probes.push(tabA, bobTab);

    // Only the newest customer message becomes unread (the reply after it does not count anyway).
    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/unread`);
    expect(res.statusCode).toBe(200);
    const first = (await messagesOf(id)).filter((m) => m.direction === 'in')[0]!;
    expect(res.json()).toMatchObject({ conversationId: id, userId: t.admin.userId, unreadCount: 1 });
    expect(res.json().lastReadMessageId).toBe(first.id);
    expect(await unreadOf(t.admin, id)).toBe(1);
    expect(await unreadOf(bob, id)).toBe(0);
    const e = await tabA.waitForEvent((x) => x.type === 'conversation.read');
    expect(e.payload as ConversationReadPayload).toEqual(res.json());
    await bobTab.sync();
    expect(bobTab.events.filter((x) => x.type === 'conversation.read')).toEqual([]);

    // Already unread: the marker stays (never hides more), and nothing is announced.
    const before = tabA.events.length;
    const again = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/unread`);
    expect(again.json()).toMatchObject({ lastReadMessageId: first.id, unreadCount: 1 });
    await tabA.sync();
    expect(tabA.events.length).toBe(before);

    // Reading again moves forward as usual.
    expect((await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`)).json().unreadCount).toBe(0);
  });

  it('marks unread a conversation whose only message is the customer’s (as if never opened), and leaves one without customer messages at 0', async () => {
    const id = await inbound('solo', 'just one');
    await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`);
    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/unread`);
    expect(res.json()).toMatchObject({ lastReadMessageId: null, lastReadAt: null, unreadCount: 1 });
    expect(await unreadOf(t.admin, id)).toBe(1);

    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const empty = conversationIds[0]!;
    await t.ctx.db.kysely.deleteFrom('messages').where('conversation_id', '=', empty).execute();
    await t.as(t.admin, 'POST', `/api/v1/conversations/${empty}/read`);
    const none = await t.as(t.admin, 'POST', `/api/v1/conversations/${empty}/unread`);
    expect(none.statusCode).toBe(200);
    expect(none.json().unreadCount).toBe(0);
  });

  it('refuses to mark unread unknown, foreign-account and other-team conversations (404)', async () => {
    const unknown = await t.as(t.admin, 'POST', '/api/v1/conversations/nope/unread');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    await seedUser(t.ctx, t.admin.accountId, 'op@example.com', 'operator');
    const op = await t.login('op@example.com', 'operator-password');
    const teamId = await seedTeam(t.ctx, t.admin.accountId, 'Billing', []);
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId });
    const hidden = await t.as(op, 'POST', `/api/v1/conversations/${conversationIds[0]}/unread`);
    expect(hidden.statusCode).toBe(404);
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const globex = await t.login('root@globex.test', 'globex password');
    const a = await inbound('ann', 'hello');
    const foreign = await t.as(globex, 'POST', `/api/v1/conversations/${a}/unread`);
    expect(foreign.statusCode).toBe(404);
  });

  it('marks an empty conversation read without a message', async () => {
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;
    await t.ctx.db.kysely.deleteFrom('messages').where('conversation_id', '=', id).execute();
    const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/read`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lastReadMessageId: null, unreadCount: 0 });
  });
});
