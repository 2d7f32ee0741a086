import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversations, seedUser } from '../../../test/seed.ts';
import { type Session, type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { createSession } from '../auth/session.service.ts';
import { storeUpload } from '../media/upload.service.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR'),
  randomBytes(500),
]);

/** A session of `userId` in `accountId`, as the sign-in would create it. */
async function sessionIn(t: TestApp, userId: string, accountId: string): Promise<Session> {
  const s = await createSession(t.ctx, userId, accountId, {});
  return { cookie: `sb_session=${s.token}`, csrf: s.csrfToken, userId, accountId };
}

describe.each(await testDialects())('clientMessageId scope and upload ownership (%s)', (dialect) => {
  let t: TestApp;
  let convA: string;
  let convA2: string;
  let convB: string;
  let inB: Session;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const a = await seedConversations(t.ctx, t.admin.accountId, 2);
    [convA, convA2] = a.conversationIds as [string, string];
    // A second account. Users now belong to one account (issue 19, point 1), so the same person there is
    // another user; the id is scoped by account and conversation rather than by author either way.
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Beta',
      email: 'beta-admin@example.com',
      password: 'beta-admin-password',
      name: 'Beta Admin',
    });
    convB = (await seedConversations(t.ctx, other.accountId, 1)).conversationIds[0]!;
    inB = await sessionIn(t, other.userId, other.accountId);
  });
  afterAll(async () => t?.close());

  const note = (s: Session, conv: string, clientMessageId: string, text: string) =>
    t.as(s, 'POST', `/api/v1/conversations/${conv}/messages`, { text, clientMessageId, private: true });

  it('a clientMessageId replayed in another account creates that account’s own message', async () => {
    const inA = await note(t.admin, convA, 'same-id-1', 'secret of account A');
    expect(inA.statusCode, inA.body).toBe(201);
    const replayB = await note(inB, convB, 'same-id-1', 'hello from B');
    expect(replayB.statusCode, replayB.body).toBe(201);
    expect(replayB.json().id).not.toBe(inA.json().id);
    expect(replayB.json()).toMatchObject({ conversationId: convB, text: 'hello from B' });
    expect(replayB.body).not.toContain('secret of account A');

    // Within one conversation the id still settles double clicks; in another conversation it is new.
    const again = await note(t.admin, convA, 'same-id-1', 'double click');
    expect(again.json().id).toBe(inA.json().id);
    const elsewhere = await note(t.admin, convA2, 'same-id-1', 'another conversation');
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().id).not.toBe(inA.json().id);
    const rows = await t.ctx.db.kysely
      .selectFrom('messages')
      .select(['account_id', 'conversation_id'])
      .where('client_message_id', '=', 'same-id-1')
      .execute();
    expect(rows).toHaveLength(3);
  });

  it('concurrent double clicks in one conversation still store one message', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => note(inB, convB, 'race-id-1', 'only once')));
    const ids = new Set(answers.map((r) => r.json().id));
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(ids.size).toBe(1);
  });

  it('an upload can be attached only by the user who uploaded it', async () => {
    const colleagueId = await seedUser(t.ctx, t.admin.accountId, 'colleague@example.com', 'operator');
    const colleague = await sessionIn(t, colleagueId, t.admin.accountId);
    const theirs = await storeUpload(
      t.ctx,
      { userId: colleagueId, accountId: t.admin.accountId, role: 'operator', via: 'session' },
      { bytes: PNG, fileName: 'private.png' },
    );
    const stolen = await t.as(t.admin, 'POST', `/api/v1/conversations/${convA}/messages`, {
      clientMessageId: 'steal-1',
      private: true,
      attachments: [{ uploadId: theirs.id }],
    });
    expect(stolen.statusCode, stolen.body).toBe(400);
    expect(stolen.json().error).toMatchObject({
      code: 'validation_error',
      details: { uploadIds: [theirs.id] },
    });
    // Refused before anything was stored: the upload is still unused, no message carries it.
    const row = await t.ctx.db.kysely
      .selectFrom('uploads')
      .select('used_at')
      .where('id', '=', theirs.id)
      .executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();

    const own = await t.as(colleague, 'POST', `/api/v1/conversations/${convA}/messages`, {
      clientMessageId: 'own-1',
      private: true,
      attachments: [{ uploadId: theirs.id }],
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().attachments).toHaveLength(1);
  });
});
