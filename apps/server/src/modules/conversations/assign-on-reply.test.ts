import { describe, expect, it } from 'vitest';
import { seedUser } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { conversationOf, messagesOf, postInbound } from '../routing/routing-test-kit.ts';

describe.each(await testDialects())('a reply assigns an unassigned conversation (%s)', (dialect) => {
  const t = useTestApp(dialect, { apiChannel: {} });

  const send = (s: Session, id: string, clientMessageId: string, extra: object = {}) =>
    t.as(s, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'Answer', clientMessageId, ...extra });

  it('takes the conversation for the replier (on by default); a note does not; an assignee stays', async () => {
    expect((await t.as(t.admin, 'GET', '/api/v1/account/inbox-settings')).json()).toEqual({
      assignOnReply: true,
    });
    const olgaId = await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    const olga = await t.login('olga@example.com', 'operator-password');
    await postInbound(t, t.channel, 'a1', 'Help');
    await t.drainJobs();
    const { id } = await conversationOf(t, 'a1');

    const note = await send(olga, id, 'note-1', { private: true });
    expect(note.statusCode, note.body).toBe(201);
    expect((await conversationOf(t, 'a1')).assigneeId).toBeNull();

    const reply = await send(olga, id, 'reply-1');
    expect(reply.statusCode, reply.body).toBe(202);
    expect((await conversationOf(t, 'a1')).assigneeId).toBe(olgaId);
    // Recorded like a manual assignment (history row and event), without a system line above the reply.
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .select(['type', 'payload'])
      .where('account_id', '=', t.admin.accountId)
      .where('type', '=', 'conversation.updated')
      .execute();
    expect(events.some((e) => JSON.parse(e.payload).assigneeId === olgaId)).toBe(true);
    const history = await messagesOf(t, id);
    expect(history.filter((m) => m.authorKind === 'system')).toHaveLength(0);
    const assigned = await t.ctx.db.kysely
      .selectFrom('conversation_assignments')
      .select(['user_id', 'reason', 'actor_id'])
      .where('conversation_id', '=', id)
      .execute();
    expect(assigned).toEqual([{ user_id: olgaId, reason: 'manual', actor_id: olgaId }]);

    // The admin's later reply does not take it from Olga.
    expect((await send(t.admin, id, 'reply-2')).statusCode).toBe(202);
    expect((await conversationOf(t, 'a1')).assigneeId).toBe(olgaId);
  });

  it('leaves the conversation unassigned when the account turned it off (admin only)', async () => {
    await seedUser(t.ctx, t.admin.accountId, 'olga@example.com', 'operator');
    const olga = await t.login('olga@example.com', 'operator-password');
    const denied = await t.as(olga, 'PUT', '/api/v1/account/inbox-settings', { assignOnReply: false });
    expect(denied.statusCode).toBe(403);
    const off = await t.as(t.admin, 'PUT', '/api/v1/account/inbox-settings', { assignOnReply: false });
    expect(off.json()).toEqual({ assignOnReply: false });
    expect((await t.as(olga, 'GET', '/api/v1/account/inbox-settings')).json()).toEqual({
      assignOnReply: false,
    });
    const bad = await t.as(t.admin, 'PUT', '/api/v1/account/inbox-settings', { assignOnReply: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');

    await postInbound(t, t.channel, 'a2', 'Help');
    await t.drainJobs();
    const { id } = await conversationOf(t, 'a2');
    expect((await send(olga, id, 'reply-off')).statusCode).toBe(202);
    expect((await conversationOf(t, 'a2')).assigneeId).toBeNull();
  });
});
