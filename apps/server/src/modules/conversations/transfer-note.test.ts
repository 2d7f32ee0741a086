import type { NotificationDto } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedConversations, seedTeam, seedUser } from '../../../test/seed.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';

const dialects = await testDialects();

describe.each(dialects)('transfer with a comment (%s)', (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(dialect, { clock: new ManualClock(Date.now()) });
  });
  afterEach(async () => {
    await t.close();
  });

  const notificationsOf = async (s: Session) =>
    (await t.as(s, 'GET', '/api/v1/notifications')).json().items as NotificationDto[];
  const notesOf = async (id: string) =>
    (
      (await t.as(t.admin, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as {
        id: string;
        private: boolean;
        text: string;
        authorId: string;
        meta: Record<string, unknown>;
      }[]
    ).filter((m) => m.private);

  it('hands a conversation to an operator with a note they see first and are notified of', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;

    const res = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, {
      assigneeId: bobId,
      note: '  She wants a refund; order #1042 is in the CRM  ',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().assigneeId).toBe(bobId);
    const [note] = await notesOf(id);
    expect(note).toMatchObject({
      text: 'She wants a refund; order #1042 is in the CRM',
      authorId: t.admin.userId,
      meta: { transfer: { toUserId: bobId, toTeamId: null } },
    });
    expect(await notificationsOf(bob)).toMatchObject([
      { kind: 'transfer', conversationId: id, messageId: note!.id, actorId: t.admin.userId },
    ]);
    // The note is not a reply: the customer gets nothing, first response stays unset.
    expect((await t.as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json().firstResponseAt).toBeNull();
  });

  it('hands to a team: its active members are notified, nobody else', async () => {
    const annId = await seedUser(t.ctx, t.admin.accountId, 'ann@example.com', 'operator');
    const benId = await seedUser(t.ctx, t.admin.accountId, 'ben@example.com', 'operator');
    const goneId = await seedUser(t.ctx, t.admin.accountId, 'gone@example.com', 'operator');
    await seedUser(t.ctx, t.admin.accountId, 'eve@example.com', 'operator');
    await t.ctx.db.kysely
      .updateTable('memberships')
      .set({ active: 0 })
      .where('user_id', '=', goneId)
      .execute();
    const teamId = await seedTeam(t.ctx, t.admin.accountId, 'Billing', [annId, benId, goneId]);
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;

    const res = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, {
      teamId,
      note: 'Billing question',
    });
    expect(res.statusCode).toBe(200);
    const [note] = await notesOf(id);
    expect(note!.meta).toEqual({ transfer: { toUserId: null, toTeamId: teamId } });
    const rows = await t.ctx.db.kysely.selectFrom('notifications').select('user_id').execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([annId, benId].sort());
    const eve = await t.login('eve@example.com', 'operator-password');
    expect(await notificationsOf(eve)).toEqual([]);
  });

  it('refuses a note without a transfer, and keeps the operator rule (own conversations only)', async () => {
    const bobId = await seedUser(t.ctx, t.admin.accountId, 'bob@example.com', 'operator');
    const carolId = await seedUser(t.ctx, t.admin.accountId, 'carol@example.com', 'operator');
    const bob = await t.login('bob@example.com', 'operator-password');
    const { conversationIds } = await seedConversations(t.ctx, t.admin.accountId, 1);
    const id = conversationIds[0]!;

    const lone = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { note: 'hello' });
    expect(lone.statusCode).toBe(400);
    expect(lone.json().error.code).toBe('validation_error');
    const blank = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, {
      assigneeId: bobId,
      note: '   ',
    });
    expect(blank.statusCode).toBe(400);

    // Bob cannot hand over what is not his; once it is his, he can, and Carol hears of it.
    const notHis = await t.as(bob, 'PATCH', `/api/v1/conversations/${id}`, {
      assigneeId: carolId,
      note: 'yours',
    });
    expect(notHis.statusCode).toBe(403);
    expect(await notesOf(id)).toEqual([]);
    await t.as(bob, 'PATCH', `/api/v1/conversations/${id}`, { assigneeId: bobId });
    const his = await t.as(bob, 'PATCH', `/api/v1/conversations/${id}`, {
      assigneeId: carolId,
      note: 'yours now, I am off',
    });
    expect(his.statusCode).toBe(200);
    const carol = await t.login('carol@example.com', 'operator-password');
    expect((await notificationsOf(carol)).map((n) => [n.kind, n.text, n.actorId])).toEqual([
      ['transfer', 'yours now, I am off', bobId],
    ]);
  });
});
