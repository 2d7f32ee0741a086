import type { AccountEvent } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelKit } from '../../../test/channel-kit.ts';
import { GatedBus, SocketProbe, serveWithGateway } from '../../../test/socket-harness.ts';
import { createTestApp, type Session, type TestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import { randomToken } from '../../infra/crypto/ids.ts';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import { createAccountWithAdmin } from '../accounts/account.service.ts';
import { REVALIDATE_MS } from './socket-gateway.ts';
import { socketSeeds } from './socket-seeds.ts';

const dialects = await testDialects();

describe.each(dialects)('Socket gateway (%s)', (dialect) => {
  let t: TestApp;
  let clock: ManualClock;
  let bus: GatedBus;
  let server: { url: string; close(): Promise<void> };
  const probes: SocketProbe[] = [];
  let n = 0;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    bus = new GatedBus();
    t = await createTestApp(dialect, { clock, bus });
    server = await serveWithGateway(t);
  });
  afterEach(async () => {
    for (const p of probes.splice(0)) p.close();
    await server.close();
    await t.close();
    await bus.close();
  });

  const connect = async (c: Parameters<typeof SocketProbe.connect>[1]) => {
    const p = await SocketProbe.connect(server.url, c);
    probes.push(p);
    return p;
  };
  const k = () => t.ctx.db.kysely;

  async function createChannel(session: Session = t.admin, teamId: string | null = null) {
    const res = await t.as(session, 'POST', '/api/v1/channels', {
      type: 'api',
      name: `Shop ${++n}`,
      settings: {},
    });
    expect(res.statusCode).toBe(201);
    const id: string = res.json().id;
    if (teamId) await k().updateTable('channels').set({ team_id: teamId }).where('id', '=', id).execute();
    return { id, secret: res.json().connection.secret as string };
  }

  /** Posts a signed inbound message; returns once its events are committed (and published). */
  async function inbound(
    channel: { id: string; secret: string },
    contact = `cust-${++n}`,
    text = `hello ${++n}`,
  ) {
    const res = await channelKit(t).apiWebhook(channel, {
      eventId: `evt-${randomToken(6)}`,
      contact: { externalId: contact, name: `Customer ${contact}` },
      message: { externalId: `m-${randomToken(6)}`, text },
    });
    expect(res.statusCode).toBe(200);
  }
  async function inboundProcessed(channel: { id: string; secret: string }, contact?: string, text?: string) {
    await inbound(channel, contact, text);
    await t.drainJobs();
  }

  const { addUser, addTeam, addApiToken } = socketSeeds(() => t);

  const types = (events: AccountEvent[]) => events.map((e) => e.type);
  const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  it('pushes the events of an inbound message to cookie, session-token and API-token sockets, in sequence', async () => {
    const channel = await createChannel();
    const operator = await addUser('operator');
    const supervisor = await addUser('supervisor');
    const admin = await connect({ cookie: t.admin.cookie });
    const op = await connect({ token: operator.token });
    const sup = await connect({ token: await addApiToken(supervisor.userId) });
    const start = admin.readySeq!;
    expect(op.readySeq).toBe(start);

    await inboundProcessed(channel, 'cust-a', 'Где мой заказ?');
    for (const p of [admin, op, sup]) {
      const events = await p.waitForEvents(3);
      expect(types(events)).toEqual(['contact.created', 'conversation.created', 'message.created']);
      expect(p.seqs()).toEqual(consecutive(start + 1, 3));
      expect(events.every((e) => e.accountId === t.admin.accountId)).toBe(true);
      expect(events[2]!.payload).toMatchObject({ direction: 'in', text: 'Где мой заказ?' });
      expect((events[1]!.payload as { id: string }).id).toBe(
        (events[2]!.payload as { conversationId: string }).conversationId,
      );
    }

    // The same customer again: the conversation is updated, and numbering carries on.
    await inboundProcessed(channel, 'cust-a', 'Ау?');
    const events = await op.waitForEvents(5);
    expect(types(events.slice(3))).toEqual(['conversation.updated', 'message.created']);
    expect(op.seqs()).toEqual(consecutive(start + 1, 5));
    expect((await op.sync()).seq).toBe(start + 5);
    expect(op.events).toHaveLength(5);
  });

  it('refuses sockets without valid credentials', async () => {
    const operator = await addUser('operator');
    const cases: [string, Parameters<typeof SocketProbe.refused>[1], string][] = [
      ['nothing', {}, 'unauthorized'],
      ['unknown session token', { token: 'not-a-session' }, 'unauthorized'],
      ['unknown session cookie', { cookie: 'sb_session=forged' }, 'unauthorized'],
      ['unknown API token', { token: 'sbt_forged' }, 'unauthorized'],
    ];
    for (const [what, creds, code] of cases) {
      const err = await SocketProbe.refused(server.url, creds);
      expect(err.data?.code, what).toBe(code);
    }

    const revokedToken = await addApiToken(operator.userId);
    await k()
      .updateTable('api_tokens')
      .set({ revoked_at: clock.now() })
      .where('token_hash', '=', hashToken(revokedToken))
      .execute();
    expect((await SocketProbe.refused(server.url, { token: revokedToken })).data?.code).toBe('unauthorized');

    await k().updateTable('memberships').set({ active: 0 }).where('user_id', '=', operator.userId).execute();
    expect((await SocketProbe.refused(server.url, { token: operator.token })).data?.code).toBe(
      'unauthorized',
    );

    clock.advance(t.ctx.config.sessionTtlMs + 1);
    const expired = await SocketProbe.refused(server.url, { cookie: t.admin.cookie });
    expect(expired.data?.code).toBe('session_expired');
    expect(expired.message).toMatch(/expired/);
  });

  it('a client that reconnects with lastSeq gets exactly what it missed, in order, then live events', async () => {
    const channel = await createChannel();
    const operator = await addUser('operator');
    const first = await connect({ token: operator.token });
    await inboundProcessed(channel, 'cust-a');
    await first.waitForEvents(3);
    const lastSeen = first.seqs().at(-1)!;
    first.close();

    // Missed while offline: another customer, and a second message of the first one.
    await inboundProcessed(channel, 'cust-b');
    await inboundProcessed(channel, 'cust-a');
    const again = await connect({ token: operator.token, lastSeq: lastSeen });
    expect(again.seqs()).toEqual(consecutive(lastSeen + 1, 5));
    expect(types(again.events)).toEqual([
      'contact.created',
      'conversation.created',
      'message.created',
      'conversation.updated',
      'message.created',
    ]);
    expect(again.readySeq).toBe(lastSeen + 5);

    await inboundProcessed(channel, 'cust-c');
    await again.waitForEvents(8);
    expect((await again.sync()).seq).toBe(lastSeen + 8);
    expect(again.seqs()).toEqual(consecutive(lastSeen + 1, 8));

    // No lastSeq: the client starts from now; an impossible lastSeq is treated the same way.
    const fresh = await connect({ token: operator.token });
    expect(fresh.events).toEqual([]);
    expect(fresh.readySeq).toBe(lastSeen + 8);
    const future = await connect({ token: operator.token, lastSeq: 10_000 });
    expect(future.events).toEqual([]);
    expect(future.readySeq).toBe(lastSeen + 8);
  });

  it('catch-up racing live events still yields every event once, in order', async () => {
    const channel = await createChannel();
    const operator = await addUser('operator');
    await t.startWorker();
    const watcher = await connect({ token: operator.token });
    const from = watcher.readySeq!;
    // Reconnect from the start while messages keep arriving and being processed.
    const posting = (async () => {
      for (let i = 0; i < 12; i++) await inbound(channel, `cust-${i}`);
    })();
    await watcher.waitForEvents(6);
    const late = await connect({ token: operator.token, lastSeq: from });
    await posting;
    await watcher.waitForEvents(36, 15_000);
    await late.waitForEvents(36, 15_000);
    for (const p of [watcher, late]) {
      expect((await p.sync()).seq).toBe(from + 36);
      expect(p.seqs()).toEqual(consecutive(from + 1, 36));
    }
  });

  it('bus events arriving late, out of order or never are filled from the event log, without duplicates', async () => {
    const channel = await createChannel();
    const operator = await addUser('operator');
    const live = await connect({ token: operator.token });
    const s = live.readySeq!;

    bus.hold();
    await inboundProcessed(channel);
    await inboundProcessed(channel);
    expect(bus.held).toHaveLength(6);
    // Connected meanwhile: its catch-up already holds what the bus has not delivered yet.
    const joined = await connect({ token: operator.token, lastSeq: s });
    expect(joined.seqs()).toEqual(consecutive(s + 1, 6));
    await bus.release([5, 4, 3, 2, 1, 0]);
    await live.waitForEvents(6);

    bus.hold();
    await inboundProcessed(channel);
    await bus.release([]); // lost on the way
    await inboundProcessed(channel); // the next one reveals the gap
    for (const p of [live, joined]) {
      await p.waitForEvents(12);
      expect((await p.sync()).seq).toBe(s + 12);
      expect(p.seqs()).toEqual(consecutive(s + 1, 12));
    }
    expect(types(live.events)).toEqual(types(joined.events));
  });

  it('sync re-sends everything after afterSeq and ignores nonsense', async () => {
    const channel = await createChannel();
    const p = await connect({ cookie: t.admin.cookie });
    const start = p.readySeq!;
    await inboundProcessed(channel);
    await inboundProcessed(channel);
    await p.waitForEvents(6);
    expect(await p.sync({ nonsense: true })).toEqual({ seq: start + 6 });
    expect(await p.sync(-1)).toEqual({ seq: start + 6 });
    expect(await p.sync(start + 99)).toEqual({ seq: start + 6 });
    expect(p.events).toHaveLength(6);

    expect(await p.sync(start + 2)).toEqual({ seq: start + 6 });
    expect(p.seqs()).toEqual([...consecutive(start + 1, 6), ...consecutive(start + 3, 4)]);
    expect(p.events.slice(6)).toEqual(p.events.slice(2, 6));
  });

  it('operators see only their teams’ conversations; supervisors and admins see all', async () => {
    const sales = await addTeam('Sales');
    const salesChannel = await createChannel(t.admin, sales);
    const openChannel = await createChannel();
    const inTeam = await connect({ token: (await addUser('operator', [sales])).token });
    const outside = await connect({ token: (await addUser('operator')).token });
    const supervisor = await connect({ token: (await addUser('supervisor')).token });
    const admin = await connect({ cookie: t.admin.cookie });

    await inboundProcessed(salesChannel);
    for (const p of [inTeam, supervisor, admin]) {
      const events = await p.waitForEvents(3);
      expect(events.every((e) => e.teamId === sales)).toBe(true);
    }
    const seq = (await outside.sync()).seq;
    expect(seq).toBe(inTeam.seqs().at(-1));
    expect(outside.events).toEqual([]);

    // A conversation without a team is everyone's.
    await inboundProcessed(openChannel);
    for (const p of [inTeam, outside, supervisor, admin]) await p.waitForEvent((e) => e.seq === seq + 3);
    expect(outside.seqs()).toEqual(consecutive(seq + 1, 3));
    expect(inTeam.seqs()).toEqual(consecutive(seq - 2, 6));

    // Replay obeys the same rule.
    const replay = await connect({ token: (await addUser('operator')).token, lastSeq: 0 });
    expect(replay.events.some((e) => e.teamId === sales)).toBe(false);
    expect(replay.seqs()).toEqual(consecutive(seq + 1, 3));
  });

  it('a logout, revoked API token or team change reaches open sockets within REVALIDATE_MS', async () => {
    const sales = await addTeam('Sales');
    const salesChannel = await createChannel(t.admin, sales);
    const loggedOut = await addUser('operator', [sales]);
    const tokenUser = await addUser('supervisor');
    const moved = await addUser('operator', [sales]);
    const token = await addApiToken(tokenUser.userId);
    const sessionSocket = await connect({ token: loggedOut.token });
    const tokenSocket = await connect({ token });
    const movedSocket = await connect({ token: moved.token });
    const gone = (p: SocketProbe) => new Promise<string>((r) => p.socket.once('disconnect', r));
    const sessionGone = gone(sessionSocket);
    const tokenGone = gone(tokenSocket);

    await k()
      .updateTable('sessions')
      .set({ revoked_at: clock.now() })
      .where('user_id', '=', loggedOut.userId)
      .execute();
    await k()
      .updateTable('api_tokens')
      .set({ revoked_at: clock.now() })
      .where('user_id', '=', tokenUser.userId)
      .execute();
    await k().deleteFrom('team_members').where('user_id', '=', moved.userId).execute();
    // Within the window the sockets still hold their checked authorisation.
    await inboundProcessed(salesChannel);
    for (const p of [sessionSocket, tokenSocket, movedSocket]) await p.waitForEvents(3);

    clock.advance(REVALIDATE_MS);
    await inboundProcessed(salesChannel);
    expect(await sessionGone).toBe('io server disconnect');
    expect(await tokenGone).toBe('io server disconnect');
    expect(sessionSocket.events).toHaveLength(3);
    expect(tokenSocket.events).toHaveLength(3);
    expect((await movedSocket.sync()).seq).toBe(movedSocket.seqs().at(-1)! + 3);
    expect(movedSocket.events).toHaveLength(3);
    expect((await SocketProbe.refused(server.url, { token: loggedOut.token })).data?.code).toBe(
      'unauthorized',
    );
  });

  it('never delivers the events of another account, live or replayed', async () => {
    const other = await createAccountWithAdmin(t.ctx, {
      accountName: 'Globex',
      email: 'boss@globex.example',
      password: 'another long password',
    });
    const otherSession = await t.login('boss@globex.example', 'another long password');
    const ours = await createChannel();
    const theirs = await createChannel(otherSession);
    const mine = await connect({ cookie: t.admin.cookie, lastSeq: 0 });
    const them = await connect({ cookie: otherSession.cookie, lastSeq: 0 });

    await inboundProcessed(theirs);
    await them.waitForEvents(3);
    expect(them.events.every((e) => e.accountId === other.accountId)).toBe(true);
    await inboundProcessed(ours);
    await mine.waitForEvents(3);
    await mine.sync();
    await them.sync();
    expect(mine.events.every((e) => e.accountId === t.admin.accountId)).toBe(true);
    expect(them.events.every((e) => e.accountId === other.accountId)).toBe(true);
    expect(mine.events).toHaveLength(3);
    expect(them.events).toHaveLength(3);

    const replayed = await connect({ cookie: otherSession.cookie, lastSeq: 0 });
    expect(replayed.events.map((e) => e.accountId)).toEqual([
      other.accountId,
      other.accountId,
      other.accountId,
    ]);
    const all = await SocketProbe.connect(server.url, { cookie: t.admin.cookie, lastSeq: 0 });
    probes.push(all);
    expect((await all.sync(0)).seq).toBe(mine.seqs().at(-1));
    expect(all.events.some((e) => e.accountId === other.accountId)).toBe(false);
  });
});
