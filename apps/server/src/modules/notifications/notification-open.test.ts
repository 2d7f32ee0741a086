import { describe, expect, it } from 'vitest';
import { seedConversations, seedUser } from '../../../test/seed.ts';
import { testDialects } from '../../../test/test-db.ts';
import { useTestApp } from '../../../test/use-test-app.ts';

describe.each(await testDialects())('notifications read on opening their conversation (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: true });

  it("opening (reading) a conversation reads the operator's own notifications about it, no one else's", async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'supervisor');
    const carolId = await seedUser(t.ctx, t.admin.accountId, 'carol@example.com', 'supervisor');
    const bob = await t.login('bob@example.com', 'operator-password');
    const carol = await t.login('carol@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 2);
    const [first, second] = conversationIds as [string, string];
    let n = 0;
    const mention = async (conversationId: string) => {
      t.clock.advance(1000);
      const res = await t.as(t.admin, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
        text: '@bob @carol look',
        private: true,
        mentions: [bobId, carolId],
        clientMessageId: `m-${++n}`,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await mention(first);
    await mention(first);
    await mention(second);
    const unread = async (s: typeof bob) =>
      (await t.as(s, 'GET', '/api/v1/notifications?unread=true')).json() as {
        items: { conversationId: string }[];
        unreadCount: number;
      };
    expect((await unread(bob)).unreadCount).toBe(3);

    const opened = await t.as(bob, 'POST', `/api/v1/conversations/${first}/read`, {});
    expect(opened.statusCode, opened.body).toBe(200);
    const left = await unread(bob);
    expect(left.unreadCount).toBe(1);
    expect(left.items.map((i) => i.conversationId)).toEqual([second]);
    expect((await unread(carol)).unreadCount).toBe(3);

    // The console's explicit form, for a conversation opened without anything unread in it.
    const read = await t.as(carol, 'POST', '/api/v1/notifications/read', { conversationId: second });
    expect(read.json()).toEqual({ read: 1, unreadCount: 2 });
    const twice = await t.as(carol, 'POST', '/api/v1/notifications/read', {
      conversationId: second,
      all: true,
    });
    expect(twice.statusCode).toBe(400);
  });
});
