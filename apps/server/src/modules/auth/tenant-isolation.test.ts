import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';

const dialects = await testDialects();

interface Tenant {
  s: Session;
  channelId: string;
  conversationId: string;
  contactId: string;
  teamId: string;
  userId: string;
  tokenId: string;
  token: string;
}

describe.each(dialects)('tenant isolation (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let acme: Tenant;
  let globex: Tenant;

  /** Everything an account owns, made through the real API and the real inbound pipeline. */
  async function populate(s: Session, tag: string): Promise<Tenant> {
    const ok = async (method: string, url: string, body?: unknown) => {
      const res = await t.as(s, method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    const team = await ok('POST', '/api/v1/teams', { name: `${tag} support` });
    const user = await ok('POST', '/api/v1/users', {
      email: `op@${tag}.test`,
      password: 'operator password',
      role: 'operator',
    });
    const channel = await ok('POST', '/api/v1/channels', { type: 'api', name: `${tag} shop` });
    const body = JSON.stringify({
      eventId: 'evt-1',
      contact: { externalId: 'same-external-id', name: `${tag} customer`, phone: '+15550001' },
      message: { externalId: 'm-1', text: `hello from ${tag}` },
    });
    const hook = await t.apiWebhook({ id: channel.id, secret: channel.connection.secret }, body);
    expect(hook.statusCode).toBeLessThan(300);
    await t.drainJobs();
    const conv = (await ok('GET', `/api/v1/conversations?channel=${channel.id}`)).items[0];
    const token = await ok('POST', '/api/v1/tokens', { name: `${tag} token` });
    return {
      s,
      channelId: channel.id,
      conversationId: conv.id,
      contactId: conv.contact.id,
      teamId: team.id,
      userId: user.id,
      tokenId: token.id,
      token: token.token,
    };
  }

  beforeEach(async () => {
    acme = await populate(t.admin, 'acme');
    await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'boss@globex.test',
      password: 'globex password',
    });
    globex = await populate(await t.login('boss@globex.test', 'globex password'), 'globex');
  });

  it("answers 404 for every read and write of another account's resources by id", async () => {
    const a = acme;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/v1/conversations/${a.conversationId}`],
      ['PATCH', `/api/v1/conversations/${a.conversationId}`, { status: 'resolved' }],
      ['GET', `/api/v1/conversations/${a.conversationId}/messages`],
      ['POST', `/api/v1/conversations/${a.conversationId}/messages`, { text: 'hi', clientMessageId: 'x1' }],
      ['GET', `/api/v1/channels/${a.channelId}`],
      ['PATCH', `/api/v1/channels/${a.channelId}`, { name: 'stolen' }],
      ['DELETE', `/api/v1/channels/${a.channelId}`],
      ['GET', `/api/v1/contacts/${a.contactId}`],
      ['PATCH', `/api/v1/contacts/${a.contactId}`, { name: 'stolen' }],
      ['GET', `/api/v1/users/${a.userId}`],
      ['PATCH', `/api/v1/users/${a.userId}`, { role: 'admin' }],
      ['DELETE', `/api/v1/users/${a.userId}`],
      ['GET', `/api/v1/users/${a.s.userId}`],
      ['GET', `/api/v1/teams/${a.teamId}`],
      ['PATCH', `/api/v1/teams/${a.teamId}`, { name: 'stolen' }],
      ['PUT', `/api/v1/teams/${a.teamId}/members`, { userIds: [] }],
      ['DELETE', `/api/v1/teams/${a.teamId}`],
      ['DELETE', `/api/v1/tokens/${a.tokenId}`],
    ];
    const bearer = (method: string, url: string, body?: unknown) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${globex.token}` },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
    for (const [method, url, body] of attempts) {
      for (const [via, res] of [
        ['session', await t.as(globex.s, method, url, body)],
        ['token', await bearer(method, url, body)],
      ] as const) {
        expect(res.statusCode, `${via} ${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
    }

    // Nothing of Acme's changed.
    const get = async (url: string) => (await t.as(acme.s, 'GET', url)).json();
    expect(await get(`/api/v1/conversations/${a.conversationId}`)).toMatchObject({ status: 'open' });
    expect((await get(`/api/v1/conversations/${a.conversationId}/messages`)).items).toHaveLength(1);
    expect(await get(`/api/v1/channels/${a.channelId}`)).toMatchObject({ name: 'acme shop', active: true });
    expect(await get(`/api/v1/contacts/${a.contactId}`)).toMatchObject({ name: 'acme customer' });
    expect(await get(`/api/v1/users/${a.userId}`)).toMatchObject({ role: 'operator', active: true });
    expect(await get(`/api/v1/teams/${a.teamId}`)).toMatchObject({ name: 'acme support' });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(me.statusCode).toBe(200);
  });

  it("never lists another account's resources", async () => {
    const ids = async (url: string) =>
      (await t.as(globex.s, 'GET', url)).json().items.map((x: { id: string }) => x.id) as string[];
    expect(await ids('/api/v1/conversations')).toEqual([globex.conversationId]);
    expect(await ids('/api/v1/channels')).toEqual([globex.channelId]);
    expect(await ids('/api/v1/contacts')).toEqual([globex.contactId]);
    expect(await ids('/api/v1/contacts?q=customer')).toEqual([globex.contactId]);
    expect(await ids('/api/v1/contacts?q=acme')).toEqual([]);
    expect((await ids('/api/v1/users')).sort()).toEqual([globex.s.userId, globex.userId].sort());
    expect(await ids('/api/v1/teams')).toEqual([globex.teamId]);
    expect(await ids('/api/v1/tokens')).toEqual([globex.tokenId]);
    const audit = (await t.as(globex.s, 'GET', '/api/v1/audit-log?limit=200')).json().items;
    expect(audit.map((e: { targetId: string }) => e.targetId)).not.toContain(acme.teamId);
    expect(audit.map((e: { targetId: string }) => e.targetId)).not.toContain(acme.channelId);
  });

  it("refuses to link another account's users or teams into one's own resources", async () => {
    const g = globex.s;
    const members = await t.as(g, 'PUT', `/api/v1/teams/${globex.teamId}/members`, {
      userIds: [acme.userId],
    });
    expect(members.statusCode).toBe(400);
    const newTeam = await t.as(g, 'POST', '/api/v1/teams', { name: 'x', memberIds: [acme.s.userId] });
    expect(newTeam.statusCode).toBe(400);
    const channel = await t.as(g, 'POST', '/api/v1/channels', {
      type: 'api',
      name: 'x',
      teamId: acme.teamId,
    });
    expect(channel.statusCode).toBe(400);
    for (const body of [{ assigneeId: acme.userId }, { teamId: acme.teamId }]) {
      const res = await t.as(g, 'PATCH', `/api/v1/conversations/${globex.conversationId}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const filtered = await t.as(g, 'GET', `/api/v1/conversations?channel=${acme.channelId}`);
    expect(filtered.json().items).toEqual([]);
    expect((await t.as(g, 'GET', `/api/v1/teams/${globex.teamId}`)).json().memberIds).toEqual([]);
  });
});
