import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { signApiBody } from '../channels/api/api-signature.ts';

const dialects = await testDialects();
const PASSWORD = 'operator password 1';

describe.each(dialects)('teams API (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let op: Session;
  let opId: string;

  beforeEach(async () => {
    const res = await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'op@example.com',
      password: PASSWORD,
      role: 'operator',
    });
    opId = res.json().id;
    op = await t.login('op@example.com', PASSWORD);
  });

  async function createTeam(name: string, memberIds: string[] = []) {
    const res = await t.as(t.admin, 'POST', '/api/v1/teams', { name, memberIds });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string; memberIds: string[] };
  }

  it('creates, lists, reads, renames and deletes teams; everyone reads', async () => {
    const support = await createTeam('Support', [opId, opId]);
    expect(support).toMatchObject({ name: 'Support', memberIds: [opId] });
    const billing = await createTeam('Billing');

    const list = await t.as(op, 'GET', '/api/v1/teams');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { name: string }) => x.name)).toEqual(['Billing', 'Support']);
    expect((await t.as(op, 'GET', `/api/v1/teams/${support.id}`)).json().memberIds).toEqual([opId]);
    expect((await t.as(op, 'GET', `/api/v1/users/${opId}`)).json().teamIds).toEqual([support.id]);
    expect((await t.as(op, 'GET', '/api/v1/me')).json().teamIds).toEqual([support.id]);

    const renamed = await t.as(t.admin, 'PATCH', `/api/v1/teams/${billing.id}`, { name: 'Payments' });
    expect(renamed.json()).toMatchObject({ id: billing.id, name: 'Payments' });

    expect((await t.as(t.admin, 'DELETE', `/api/v1/teams/${support.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/teams/${support.id}`)).statusCode).toBe(404);
    expect((await t.as(op, 'GET', `/api/v1/users/${opId}`)).json().teamIds).toEqual([]);
    expect((await t.as(t.admin, 'DELETE', `/api/v1/teams/${support.id}`)).statusCode).toBe(404);

    const actions = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'team')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'team.created',
      'team.created',
      'team.updated',
      'team.deleted',
    ]);
  });

  // Schema-refused bodies: teams-validation.test.ts (bare app).
  it('keeps names unique per account (409)', async () => {
    const a = await createTeam('Support');
    const dup = await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Support' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const b = await createTeam('Sales');
    const clash = await t.as(t.admin, 'PATCH', `/api/v1/teams/${b.id}`, { name: 'Support' });
    expect(clash.statusCode).toBe(409);
    expect((await t.as(t.admin, 'GET', `/api/v1/teams/${b.id}`)).json().name).toBe('Sales');
    expect(
      (await t.as(t.admin, 'GET', '/api/v1/teams')).json().items.map((x: { id: string }) => x.id),
    ).toEqual([b.id, a.id]);
  });

  it('replaces members with PUT and refuses ids that are not users of this account', async () => {
    const team = await createTeam('Support', [opId]);
    const put = await t.as(t.admin, 'PUT', `/api/v1/teams/${team.id}/members`, {
      userIds: [t.admin.userId],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().memberIds).toEqual([t.admin.userId]);
    const bad = await t.as(t.admin, 'PUT', `/api/v1/teams/${team.id}/members`, {
      userIds: [opId, 'ghost-user'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    expect(bad.json().error.message).toContain('ghost-user');
    expect((await t.as(t.admin, 'GET', `/api/v1/teams/${team.id}`)).json().memberIds).toEqual([
      t.admin.userId,
    ]);
    const cleared = await t.as(t.admin, 'PUT', `/api/v1/teams/${team.id}/members`, { userIds: [] });
    expect(cleared.json().memberIds).toEqual([]);
    const missing = await t.as(t.admin, 'PUT', '/api/v1/teams/no-such-team/members', { userIds: [] });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses writes by operators and supervisors with 403 forbidden', async () => {
    const team = await createTeam('Support');
    await t.as(t.admin, 'POST', '/api/v1/users', {
      email: 'sup@example.com',
      password: PASSWORD,
      role: 'supervisor',
    });
    const sup = await t.login('sup@example.com', PASSWORD);
    for (const s of [op, sup]) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/teams', { name: 'Mine' }],
        ['PATCH', `/api/v1/teams/${team.id}`, { name: 'Mine' }],
        ['PUT', `/api/v1/teams/${team.id}/members`, { userIds: [opId] }],
        ['DELETE', `/api/v1/teams/${team.id}`, undefined],
      ] as const) {
        const res = await t.as(s, method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    }
    expect((await t.as(t.admin, 'GET', `/api/v1/teams/${team.id}`)).json()).toMatchObject({
      name: 'Support',
      memberIds: [],
    });
  });

  it('deleting a team hands its channels and conversations to the whole account and tells consoles', async () => {
    const team = await createTeam('Support', [opId]);
    const ch = await t.as(t.admin, 'POST', '/api/v1/channels', {
      type: 'api',
      name: 'Shop',
      teamId: team.id,
    });
    expect(ch.statusCode).toBe(201);
    const { id: channelId, connection } = ch.json();
    const body = JSON.stringify({
      eventId: 'e1',
      contact: { externalId: 'c1', name: 'Ivan' },
      message: { externalId: 'm1', text: 'hello' },
    });
    const hook = await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channelId}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(connection.secret, body),
      },
      payload: body,
    });
    expect(hook.statusCode).toBeLessThan(300);
    await t.drainJobs();
    const convs = await t.ctx.db.kysely.selectFrom('conversations').select(['id', 'team_id']).execute();
    expect(convs).toHaveLength(1);
    const conv = convs[0]!;
    // The channel's team is the conversation's team only if inbound routed it there; force it to be sure.
    await t.ctx.db.kysely.updateTable('conversations').set({ team_id: team.id }).execute();
    const seqBefore = (
      await t.ctx.db.kysely
        .selectFrom('accounts')
        .select('event_seq')
        .where('id', '=', t.admin.accountId)
        .executeTakeFirstOrThrow()
    ).event_seq;

    expect((await t.as(t.admin, 'DELETE', `/api/v1/teams/${team.id}`)).statusCode).toBe(204);
    expect((await t.as(t.admin, 'GET', `/api/v1/channels/${channelId}`)).json().teamId).toBeNull();
    const after = await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}`);
    expect(after.json().teamId).toBeNull();
    const events = await t.ctx.db.kysely
      .selectFrom('account_events')
      .selectAll()
      .where('seq', '>', seqBefore)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'conversation.updated', team_id: null });
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ id: conv.id, teamId: null });
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'team.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({
      name: 'Support',
      channelsDetached: 1,
      conversationsDetached: 1,
    });
  });
});
