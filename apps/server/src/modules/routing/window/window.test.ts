import { describe, expect, it } from 'vitest';
import { seedChannel, seedConversations } from '../../../../test/seed.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { automaticMessages, conversationOf, postInbound, setRouting } from '../routing-test-kit.ts';
import { conversationWindow, sendAllowed } from './window-policy.ts';

const dialects = await testDialects();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

describe.each(dialects)('messaging window (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: {} });

  const reply = (conversationId: string, clientMessageId: string, extra: Record<string, unknown> = {}) =>
    t.as(t.admin, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Our answer',
      clientMessageId,
      ...extra,
    });
  const sendJobs = async () =>
    Number(
      (
        await t.ctx.db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('type', '=', 'message.send')
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** A channel row of a type no adapter needs to exist for (the window only looks at the type). */
  const channelOfType = (type: string) => seedChannel(t.ctx, t.admin.accountId, type);

  it('lets replies through until one second before the default 7 days and refuses them a second after', async () => {
    await postInbound(t, t.channel, 'c1', 'Hi');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    expect(conv.lastInboundAt).toBe(T0);

    t.clock.set(T0 + 7 * DAY - 1000);
    expect((await reply(conv.id, 'r-1')).statusCode).toBe(202);
    const jobsBefore = await sendJobs();

    t.clock.set(T0 + 7 * DAY + 1000);
    const refused = await reply(conv.id, 'r-2');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'window_closed',
      details: { closedAt: T0 + 7 * DAY, reason: 'expired', fallback: 'none' },
    });
    // Nothing queued: no message row, no send job.
    const stored = await t.ctx.db.kysely
      .selectFrom('messages')
      .select('id')
      .where('client_message_id', '=', 'r-2')
      .execute();
    expect(stored).toHaveLength(0);
    expect(await sendJobs()).toBe(jobsBefore);
    // A private note is not a send.
    expect((await reply(conv.id, 'n-1', { private: true })).statusCode).toBe(201);

    const log = (await t.as(t.admin, 'GET', `/api/v1/refused-sends?conversationId=${conv.id}`)).json();
    expect(log.items).toEqual([
      expect.objectContaining({
        conversationId: conv.id,
        channelId: t.channel.id,
        path: 'reply',
        actorId: t.admin.userId,
        reason: 'expired',
        windowClosedAt: T0 + 7 * DAY,
        createdAt: T0 + 7 * DAY + 1000,
      }),
    ]);

    const w = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(w).toEqual({
      open: false,
      reason: 'expired',
      windowMs: 7 * DAY,
      lastInboundAt: T0,
      closesAt: T0 + 7 * DAY,
      fallback: 'none',
      tag: null,
      now: T0 + 7 * DAY + 1000,
    });
  });

  it('refuses API-token sends the same way and logs them as the API path', async () => {
    await postInbound(t, t.channel, 'c1');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const token = (await t.as(t.admin, 'POST', '/api/v1/tokens', { name: 'backend' })).json().token as string;
    const send = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conv.id}/messages`,
        headers: { authorization: `Bearer ${token}` },
        payload: { text: 'From the API', clientMessageId: id },
      });
    t.clock.set(T0 + 7 * DAY - 1000);
    expect((await send('a-1')).statusCode).toBe(202);
    t.clock.set(T0 + 7 * DAY);
    expect((await send('a-2')).json().error.code).toBe('window_closed');
    const log = (await t.as(t.admin, 'GET', '/api/v1/refused-sends')).json();
    expect(log.items.map((i: { path: string }) => i.path)).toEqual(['api']);
  });

  it('uses the window set per channel, in hours or days', async () => {
    await setRouting(t, t.channel.id, { window: { unit: 'hours', value: 48 } });
    await postInbound(t, t.channel, 'c1');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    t.clock.set(T0 + 48 * HOUR - 1000);
    expect((await reply(conv.id, 'r-1')).statusCode).toBe(202);
    t.clock.set(T0 + 48 * HOUR + 1000);
    expect((await reply(conv.id, 'r-2')).statusCode).toBe(422);

    await setRouting(t, t.channel.id, { window: { unit: 'days', value: 3 } });
    t.clock.set(T0 + 3 * DAY - 1000);
    expect((await reply(conv.id, 'r-3')).statusCode).toBe(202);
    t.clock.set(T0 + 3 * DAY + 1000);
    expect((await reply(conv.id, 'r-4')).statusCode).toBe(422);
    const routing = (await t.as(t.admin, 'GET', `/api/v1/channels/${t.channel.id}/routing`)).json();
    expect(routing).toMatchObject({ window: { unit: 'days', value: 3 }, windowMs: 3 * DAY });
  });

  it('fixes WhatsApp at 24 hours and allows only templates after it closes', async () => {
    const wa = await channelOfType('whatsapp');
    const {
      conversationIds: [convId],
    } = await seedConversations(t.ctx, t.admin.accountId, 1, { channelId: wa });
    const bad = await t.as(t.admin, 'PUT', `/api/v1/channels/${wa}/routing`, {
      window: { unit: 'days', value: 7 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    await setRouting(t, wa, { window: { unit: 'hours', value: 24 } });
    const routing = (await t.as(t.admin, 'GET', `/api/v1/channels/${wa}/routing`)).json();
    expect(routing).toMatchObject({ windowMs: DAY, windowFixedByProvider: true });

    t.clock.set(T0 + DAY - 1000);
    expect((await reply(convId!, 'r-1')).statusCode).toBe(202);
    const conv = await t.ctx.db.kysely
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', convId!)
      .executeTakeFirstOrThrow();
    const k = t.ctx.db.kysely;
    expect(sendAllowed(await conversationWindow(k, conv, t.clock.now()), 'template')).toBe(true);

    t.clock.set(T0 + DAY + 1000);
    const refused = await reply(convId!, 'r-2');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toMatchObject({ closedAt: T0 + DAY, fallback: 'template' });
    const closed = await conversationWindow(k, conv, t.clock.now());
    expect(sendAllowed(closed, 'reply')).toBe(false);
    expect(sendAllowed(closed, 'automatic')).toBe(false);
    expect(sendAllowed(closed, 'template')).toBe(true);
    const w = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/window`)).json();
    expect(w).toMatchObject({ open: false, fallback: 'template', closesAt: T0 + DAY });

    // Elsewhere a template is just another message: the window applies.
    await postInbound(t, t.channel, 'c1');
    await t.drainJobs();
    const apiConv = await k
      .selectFrom('conversations')
      .selectAll()
      .where('channel_id', '=', t.channel.id)
      .executeTakeFirstOrThrow();
    t.clock.set(t.clock.now() + 7 * DAY + 1000);
    expect(sendAllowed(await conversationWindow(k, apiConv, t.clock.now()), 'template')).toBe(false);
  });

  it('allows "unlimited" only on e-mail and widget channels', async () => {
    const bad = await t.as(t.admin, 'PUT', `/api/v1/channels/${t.channel.id}/routing`, {
      window: { unit: 'unlimited' },
    });
    expect(bad.statusCode).toBe(400);
    const widget = await channelOfType('widget');
    await setRouting(t, widget, { window: { unit: 'unlimited' } });
    const {
      conversationIds: [convId],
    } = await seedConversations(t.ctx, t.admin.accountId, 1, { channelId: widget });
    t.clock.set(T0 + 8 * DAY);
    expect((await reply(convId!, 'r-1')).statusCode).toBe(202);
    const w = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/window`)).json();
    expect(w).toMatchObject({ open: true, reason: 'unlimited', windowMs: null, closesAt: null });
  });

  it("measures from the provider's timestamp, not from when a delayed webhook arrived", async () => {
    await setRouting(t, t.channel.id, { window: { unit: 'hours', value: 24 } });
    // Written 23 hours ago, delivered now: the window has one hour left, not 24.
    await postInbound(t, t.channel, 'c1', 'Late', T0 - 23 * HOUR);
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    expect(conv.lastInboundAt).toBe(T0 - 23 * HOUR);
    // An even older message arriving out of order does not pull the window back.
    await postInbound(t, t.channel, 'c1', 'Older', T0 - 30 * HOUR);
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).lastInboundAt).toBe(T0 - 23 * HOUR);

    t.clock.set(T0 + HOUR - 1000);
    expect((await reply(conv.id, 'r-1')).statusCode).toBe(202);
    t.clock.set(T0 + HOUR + 1000);
    const refused = await reply(conv.id, 'r-2');
    expect(refused.json().error.details.closedAt).toBe(T0 + HOUR);

    // Without a provider timestamp the receive time counts.
    await postInbound(t, t.channel, 'c1', 'Now');
    await t.drainJobs();
    expect((await conversationOf(t, 'c1')).lastInboundAt).toBe(T0 + HOUR + 1000);
    expect((await reply(conv.id, 'r-3')).statusCode).toBe(202);
  });

  it('holds automatic messages to the window too, and records the refusal', async () => {
    await setRouting(t, t.channel.id, {
      window: { unit: 'hours', value: 24 },
      automaticMessages: { greeting: { enabled: true } },
    });
    await t.as(t.admin, 'PATCH', '/api/v1/me', { availability: 'online' });
    // A webhook so late that the window closed a second before it arrived: no greeting.
    await postInbound(t, t.channel, 'late', 'Hi', T0 - 24 * HOUR - 1000);
    // One second inside the window: greeted.
    await postInbound(t, t.channel, 'ontime', 'Hi', T0 - 24 * HOUR + 1000);
    await t.drainJobs();
    const late = await conversationOf(t, 'late');
    const onTime = await conversationOf(t, 'ontime');
    expect(await automaticMessages(t, late.id)).toHaveLength(0);
    expect(await automaticMessages(t, onTime.id)).toHaveLength(1);
    const log = (await t.as(t.admin, 'GET', '/api/v1/refused-sends')).json();
    expect(log.items).toEqual([
      expect.objectContaining({
        conversationId: late.id,
        path: 'automatic',
        actorId: null,
        windowClosedAt: T0 - 1000,
      }),
    ]);
  });
});
