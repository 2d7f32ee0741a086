import type { Role } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { channelKit } from '../../../test/channel-kit.ts';
import { redisReachable, waitUntil } from '../../../test/node-services.ts';
import { SocketProbe } from '../../../test/socket-harness.ts';
import type { Session } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { MemoryBus } from '../../infra/bus/memory-bus.ts';
import { newId, randomToken } from '../../infra/crypto/ids.ts';
import { addMembership } from '../accounts/account.service.ts';
import { createSession } from '../auth/session.service.ts';
import { createWidgetChannel, VisitorClient, VisitorSocket } from '../channels/widget/widget-test-kit.ts';
import { WIDGET_SOCKET } from '../channels/widget/widget-bus.ts';
import { TYPING_RELAY_MS } from './live-activity.ts';

import { LiveProbe, harness } from './live-activity-harness.ts';

const dialects = await testDialects();
const _hasRedis = await redisReachable();

describe.each(dialects)('Live presence and typing over Socket.IO (%s)', (dialect) => {
  const h = harness(dialect, async () => new MemoryBus());
  const k = () => h.t.ctx.db.kysely;

  async function addUser(name: string, role: Role = 'operator', teamIds: string[] = []) {
    const now = h.clock.now();
    const userId = newId(now);
    await k()
      .insertInto('users')
      .values({
        id: userId,
        account_id: h.t.admin.accountId,
        email: `${name.toLowerCase()}-${randomToken(4)}@example.com`,
        name,
        password_hash: 'not-used',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addMembership(k(), h.t.admin.accountId, userId, role, now);
    for (const teamId of teamIds)
      await k()
        .insertInto('team_members')
        .values({ team_id: teamId, user_id: userId, account_id: h.t.admin.accountId })
        .execute();
    const s = await createSession(h.t.ctx, userId, h.t.admin.accountId, {});
    const session: Session = {
      cookie: `sb_session=${s.token}`,
      csrf: s.csrfToken,
      userId,
      accountId: h.t.admin.accountId,
    };
    return { userId, token: s.token, session };
  }

  async function addTeam(name: string) {
    const id = newId(h.clock.now());
    await k()
      .insertInto('teams')
      .values({ id, account_id: h.t.admin.accountId, name, created_at: h.clock.now() })
      .execute();
    return id;
  }

  async function tab(creds: { token?: string; cookie?: string }, url = h.node.url): Promise<LiveProbe> {
    const probe = await SocketProbe.connect(url, creds);
    h.cleanups.push(() => probe.close());
    return new LiveProbe(probe);
  }

  /** A conversation on an API channel (optionally a team's), made by a signed inbound message. */
  async function conversation(teamId: string | null = null): Promise<string> {
    const res = await h.t.as(h.t.admin, 'POST', '/api/v1/channels', {
      type: 'api',
      name: `Shop ${++h.n}`,
      settings: {},
    });
    const channel = { id: res.json().id as string, secret: res.json().connection.secret as string };
    if (teamId)
      await k().updateTable('channels').set({ team_id: teamId }).where('id', '=', channel.id).execute();
    const hook = await channelKit(h.t).apiWebhook(channel, {
      eventId: `evt-${randomToken(6)}`,
      contact: { externalId: `cust-${++h.n}`, name: 'Maria' },
      message: { externalId: `m-${randomToken(6)}`, text: 'hello' },
    });
    expect(hook.statusCode).toBe(200);
    await h.t.drainJobs();
    const row = await k()
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const eventSeq = async () =>
    (
      await k()
        .selectFrom('accounts')
        .select('event_seq')
        .where('id', '=', h.t.admin.accountId)
        .executeTakeFirstOrThrow()
    ).event_seq;

  it('shows who else has a conversation open, and forgets a tab that navigates away or closes', async () => {
    const convId = await conversation();
    const other = await conversation();
    const bob = await addUser('Bob');
    const seq0 = await eventSeq();
    const ada = await tab({ cookie: h.t.admin.cookie });
    const bobTab = await tab({ token: bob.token });

    const first = await ada.view(convId);
    expect(first).toEqual({ ok: true, viewers: [{ userId: h.t.admin.userId, name: 'Ada Admin' }] });
    const second = await bobTab.view(convId);
    expect(second.viewers?.map((v) => v.name)).toEqual(['Ada Admin', 'Bob']);
    await ada.waitForNames(convId, ['Ada Admin', 'Bob']);

    // Bob opens another conversation: he leaves this one.
    expect((await bobTab.view(other)).viewers?.map((v) => v.name)).toEqual(['Bob']);
    await ada.waitForNames(convId, ['Ada Admin']);
    // Back, then the tab closes.
    await bobTab.view(convId);
    await ada.waitForNames(convId, ['Ada Admin', 'Bob']);
    bobTab.probe.close();
    await ada.waitForNames(convId, ['Ada Admin']);
    // Closing the conversation (view null) counts too; Ada's second tab sees her first one go.
    const adaSecond = await tab({ cookie: h.t.admin.cookie });
    await adaSecond.view(convId);
    expect(await ada.view(null)).toEqual({ ok: true, viewers: [] });
    expect((await adaSecond.view(convId)).viewers?.map((v) => v.name)).toEqual(['Ada Admin']);
    // Presence is never written to the account's event log.
    expect(await eventSeq()).toBe(seq0);
  });

  it('keeps presence and typing within the teams that may see the conversation', async () => {
    const sales = await addTeam('Sales');
    const support = await addTeam('Support');
    const convId = await conversation(sales);
    const seller = await addUser('Sam', 'operator', [sales]);
    const outsider = await addUser('Olga', 'operator', [support]);
    const samTab = await tab({ token: seller.token });
    const olgaTab = await tab({ token: outsider.token });

    expect(await olgaTab.view(convId)).toEqual({ ok: false, code: 'not_found' });
    expect(await olgaTab.view('x'.repeat(65))).toEqual({ ok: false, code: 'validation_error' });
    expect((await samTab.view(convId)).viewers?.map((v) => v.name)).toEqual(['Sam']);
    const ada = await tab({ cookie: h.t.admin.cookie });
    await ada.view(convId);
    await samTab.waitForNames(convId, ['Ada Admin', 'Sam']);

    const typed = await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${convId}/typing`, {
      typing: true,
      private: true,
    });
    expect(typed.statusCode).toBe(204);
    const signal = await samTab.waitForTyping((s) => s.typing);
    expect(signal).toMatchObject({
      conversationId: convId,
      who: { kind: 'user', userId: h.t.admin.userId, name: 'Ada Admin' },
      private: true,
    });
    expect(signal.ttlMs).toBeGreaterThan(0);
    // Olga may not see the conversation: she may not signal typing in it either.
    expect(
      (await h.t.as(outsider.session, 'POST', `/api/v1/conversations/${convId}/typing`, {})).statusCode,
    ).toBe(404);

    // Transferred to a team Sam is not in: he leaves its presence and hears nothing more of it.
    const moved = await h.t.as(h.t.admin, 'PATCH', `/api/v1/conversations/${convId}`, { teamId: support });
    expect(moved.statusCode, moved.body).toBe(200);
    await samTab.waitForNames(convId, []);
    await ada.waitForNames(convId, ['Ada Admin']);
    const before = samTab.typing.length;
    h.clock.advance(TYPING_RELAY_MS);
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${convId}/typing`, { typing: true });
    await ada.waitForTyping((s) => s.who.kind === 'user' && !s.private);
    await samTab.probe.sync();
    expect(samTab.typing).toHaveLength(before);
  });

  it("relays a widget visitor's typing to the operators who have the conversation open, throttled", async () => {
    const channel = await createWidgetChannel(h.t);
    const visitor = new VisitorClient(h.t, channel.id);
    await visitor.session({ name: 'Vera Visitor' });
    const socket = await VisitorSocket.connect(h.node.url, { channelId: channel.id, token: visitor.token });
    h.cleanups.push(() => socket.close());
    // Before the first message there is no conversation: typing goes nowhere.
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    expect((await visitor.send('client-msg-1', 'Hi there')).statusCode).toBe(202);
    await h.t.drainJobs();
    const conv = await k()
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    const ada = await tab({ cookie: h.t.admin.cookie });
    await ada.view(conv.id);
    const seqBefore = await eventSeq();

    h.clock.advance(TYPING_RELAY_MS);
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    const signal = await ada.waitForTyping((s) => s.typing);
    expect(signal).toEqual({
      conversationId: conv.id,
      who: { kind: 'contact', name: 'Vera Visitor' },
      typing: true,
      private: false,
      ttlMs: expect.any(Number),
    });
    // A burst of keystrokes in the same moment is one signal; "stopped" always goes through.
    for (let i = 0; i < 5; i++) socket.socket.emit(WIDGET_SOCKET.typing, { typing: true });
    socket.socket.emit(WIDGET_SOCKET.typing, { typing: false });
    await ada.waitForTyping((s) => !s.typing);
    expect(ada.typing.map((s) => s.typing)).toEqual([true, false]);
    // The operator's own typing reaches the visitor; a private note's does not.
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${conv.id}/typing`, {
      typing: true,
      private: true,
    });
    await h.t.as(h.t.admin, 'POST', `/api/v1/conversations/${conv.id}/typing`, { typing: true });
    await waitUntil('operator typing in the widget', () => socket.typing.length > 0);
    expect(socket.typing).toEqual([{ typing: true, name: 'Ada Admin' }]);
    expect(await eventSeq()).toBe(seqBefore);
  });
});
