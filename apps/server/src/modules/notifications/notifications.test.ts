import type { NotificationDto } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedTeam, seedUser } from '../../../test/seed.ts';
import { SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

describe.each(dialects)('mentions and notifications (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let server: { url: string; close(): Promise<void> };
  const probes: SocketProbe[] = [];
  let n = 0;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    server = await serveWithGateway(t);
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    await server.close();
    await t.close();
  });

  const note = (s: Session, conversationId: string, text: string, mentions: string[]) => {
    clock.advance(1000);
    return t.as(s, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text,
      private: true,
      mentions,
      clientMessageId: `note-${++n}`,
    });
  };
  const listOf = async (s: Session, query = '') =>
    (await t.as(s, 'GET', `/api/v1/notifications${query}`)).json() as {
      items: NotificationDto[];
      unreadCount: number;
      nextCursor: string | null;
    };

  it('stores the mentions on the note and gives each mentioned colleague an unread notification', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const carolId = await seedUser(t.ctx, t.admin.accountId, 'carol@example.com', 'supervisor');
    const bob = await t.login('bob@example.com', 'operator-password');
    const carol = await t.login('carol@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;

    const res = await note(t.admin, id, '@bob @carol VIP, be nice', [bobId, carolId, bobId]);
    expect(res.statusCode).toBe(201);
    expect(res.json().mentions).toEqual([bobId, carolId]);
    expect(res.json().meta).not.toHaveProperty('mentions');
    const listed = (await t.as(bob, 'GET', `/api/v1/conversations/${id}/messages`)).json().items;
    expect(listed.at(-1).mentions).toEqual([bobId, carolId]);

    for (const [s, userId] of [
      [bob, bobId],
      [carol, carolId],
    ] as const) {
      const list = await listOf(s);
      expect(list.unreadCount).toBe(1);
      expect(list.items).toEqual([
        {
          id: expect.any(String),
          userId,
          kind: 'mention',
          conversationId: id,
          messageId: res.json().id,
          actorId: t.admin.userId,
          text: '@bob @carol VIP, be nice',
          readAt: null,
          createdAt: res.json().createdAt,
        },
      ]);
    }
    // The author is told nothing; nor is anyone not mentioned.
    expect((await listOf(t.admin)).items).toEqual([]);
    // Resending the same note (same client id) notifies nobody twice.
    const again = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: '@bob @carol VIP, be nice',
      private: true,
      mentions: [bobId, carolId],
      clientMessageId: `note-${n}`,
    });
    expect(again.json().id).toBe(res.json().id);
    expect((await listOf(bob)).unreadCount).toBe(1);
  });

  it('refuses a mention of someone who cannot see the conversation, with the reason per user', async () => {
    const inId = await seedUser(t.ctx, t.admin.accountId, 'in@example.com', 'operator');
    const outId = await seedUser(t.ctx, t.admin.accountId, 'out@example.com', 'operator');
    const supId = await seedUser(t.ctx, t.admin.accountId, 'sup@example.com', 'supervisor');
    const goneId = await seedUser(t.ctx, t.admin.accountId, 'gone@example.com', 'operator');
    await t.ctx.db.kysely
      .updateTable('memberships')
      .set({ active: 0 })
      .where('user_id', '=', goneId)
      .execute();
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'root@globex.test',
      password: 'globex password',
    });
    const teamId = await seedTeam(t.ctx, t.admin.accountId, 'Billing', [inId]);
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1, { teamId });
    const id = conversationIds[0]!;

    const refused = await note(t.admin, id, 'look', [inId, outId, goneId, other.userId, 'nobody']);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('mention_not_allowed');
    expect(refused.json().error.message).toContain("is not in the conversation's team");
    expect(refused.json().error.details.users).toEqual([
      { userId: outId, reason: 'cannot_see' },
      { userId: goneId, reason: 'inactive' },
      { userId: other.userId, reason: 'not_a_member' },
      { userId: 'nobody', reason: 'not_a_member' },
    ]);
    // Nothing was written: no note, no notification.
    const msgs = (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}/messages`)).json().items;
    expect(msgs.filter((m: { private: boolean }) => m.private)).toEqual([]);
    expect(await t.ctx.db.kysely.selectFrom('notifications').selectAll().execute()).toEqual([]);

    // A team member and a supervisor (who sees every team) can be mentioned.
    expect((await note(t.admin, id, 'look', [inId, supId])).statusCode).toBe(201);
    // Mentions belong on private notes only.
    const reply = await t.as(t.admin, 'POST', `/api/v1/conversations/${id}/messages`, {
      text: 'hello',
      mentions: [inId],
      clientMessageId: 'reply-1',
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.code).toBe('validation_error');
  });

  it('lists newest first with paging and an unread filter, and marks read (some or all) for the caller only', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;
    for (const text of ['one', 'two', 'three']) await note(t.admin, id, text, [bobId]);

    const first = await t.as(bob, 'GET', '/api/v1/notifications?limit=2');
    expect(first.json().items.map((x: NotificationDto) => x.text)).toEqual(['three', 'two']);
    expect(first.json().unreadCount).toBe(3);
    const rest = await listOf(bob, `?limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`);
    expect(rest.items.map((x) => x.text)).toEqual(['one']);
    expect(rest.nextCursor).toBeNull();

    // Someone else's id marks nothing of theirs.
    const adminMarks = await t.as(t.admin, 'POST', '/api/v1/notifications/read', {
      ids: [first.json().items[0].id],
    });
    expect(adminMarks.json()).toEqual({ read: 0, unreadCount: 0 });

    clock.advance(500);
    const one = await t.as(bob, 'POST', '/api/v1/notifications/read', { ids: [first.json().items[0].id] });
    expect(one.json()).toEqual({ read: 1, unreadCount: 2 });
    const unread = await listOf(bob, '?unread=true');
    expect(unread.items.map((x) => x.text)).toEqual(['two', 'one']);
    const all = await t.as(bob, 'POST', '/api/v1/notifications/read', { all: true });
    expect(all.json()).toEqual({ read: 2, unreadCount: 0 });
    const after = await listOf(bob);
    expect(after.items.every((x) => x.readAt !== null)).toBe(true);
    expect(after.unreadCount).toBe(0);

    const bad = await t.as(bob, 'POST', '/api/v1/notifications/read', {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    expect((await t.as(bob, 'GET', '/api/v1/notifications?cursor=zzz')).statusCode).toBe(400);
  });

  it('reaches the mentioned operator live and only them, and replays to a console that was offline', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    await seedUser(t.ctx, t.admin.accountId, 'eve@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const eve = await t.login('eve@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;

    const bobTab = await SocketProbe.connect(server.url, { cookie: bob.cookie });
    const eveTab = await SocketProbe.connect(server.url, { cookie: eve.cookie });
    probes.push(bobTab, eveTab);
    const res = await note(t.admin, id, '@bob look', [bobId]);
    const live = await bobTab.waitForEvent((e) => e.type === 'notification.created');
    expect(live.payload).toMatchObject({ userId: bobId, messageId: res.json().id, kind: 'mention' });
    await eveTab.sync();
    expect(eveTab.events.filter((e) => e.type === 'notification.created')).toEqual([]);
    // Eve still sees the note itself (it is the conversation's), just not Bob's notification.
    expect(eveTab.events.some((e) => e.type === 'message.created')).toBe(true);

    // Bob goes offline; a second mention arrives; his console reconnects after its last seq and gets it.
    const lastSeq = bobTab.events.at(-1)!.seq;
    bobTab.close();
    await note(t.admin, id, '@bob and again', [bobId]);
    const back = await SocketProbe.connect(server.url, { cookie: bob.cookie, lastSeq });
    probes.push(back);
    const replayed = await back.waitForEvent((e) => e.type === 'notification.created');
    expect((replayed.payload as NotificationDto).text).toBe('@bob and again');

    // Marking read reaches his other consoles live.
    await t.as(bob, 'POST', '/api/v1/notifications/read', { all: true });
    const read = await back.waitForEvent((e) => e.type === 'notification.read');
    expect(read.payload).toEqual({ userId: bobId, ids: [], all: true, unreadCount: 0 });
  });

  it('drops a conversation’s notifications when its contact is erased', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;
    await note(t.admin, id, 'secret about the customer', [bobId]);
    const conv = (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json();
    const erased = await t.as(t.admin, 'DELETE', `/api/v1/contacts/${conv.contact.id}?erase=true`);
    expect(erased.statusCode).toBeLessThan(300);
    expect(await listOf(bob)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });
});
