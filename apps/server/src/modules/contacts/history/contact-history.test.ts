import { describe, expect, it } from 'vitest';
import { seedChannel } from '../../../../test/seed.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import { addOperator, createApiChannel, postInbound, setRouting } from '../../routing/routing-test-kit.ts';

const dialects = await testDialects();
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

describe.each(dialects)('one history across channels (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0 });
  const k = () => t.ctx.db.kysely;

  const contactOn = async (channelId: string) =>
    (
      await k()
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('channel_id', '=', channelId)
        .executeTakeFirstOrThrow()
    ).contact_id;
  const conversationOn = async (channelId: string) =>
    (
      await k()
        .selectFrom('conversations')
        .select('id')
        .where('channel_id', '=', channelId)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
  const sendJobs = async (messageId: string) =>
    (await k().selectFrom('jobs').select('payload').where('type', '=', 'message.send').execute()).filter(
      (j) => String(j.payload).includes(messageId),
    ).length;

  /** Olga wrote on the widget and in the shop's app (a team's channel); one contact after a merge. */
  async function olga() {
    const team = (await t.as(t.admin, 'POST', '/api/v1/teams', { name: 'Shop team' })).json();
    const widget = await createApiChannel(t, { name: 'Widget' });
    const app = await createApiChannel(t, { name: 'App', teamId: team.id });
    await postInbound(t, app, 'olga-app', 'first, in the app');
    await t.drainJobs();
    t.clock.set(T0 + HOUR);
    await postInbound(t, widget, 'olga-web', 'second, on the site');
    await t.drainJobs();
    t.clock.set(T0 + 2 * HOUR);
    await postInbound(t, widget, 'olga-web', 'third, on the site');
    await t.drainJobs();
    const keep = await contactOn(widget.id);
    const other = await contactOn(app.id);
    const merged = await t.as(t.admin, 'POST', `/api/v1/contacts/${keep}/merge`, { otherContactId: other });
    expect(merged.statusCode, merged.body).toBe(200);
    return {
      widget,
      app,
      contact: keep,
      other,
      widgetConv: await conversationOn(widget.id),
      appConv: await conversationOn(app.id),
    };
  }

  it('lists the customer’s messages on every channel newest first, paged, leaving out what the reader may not open', async () => {
    const s = await olga();
    const res = await t.as(t.admin, 'GET', `/api/v1/contacts/${s.contact}/history?limit=2`);
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json();
    expect(first.items.map((m: { text: string }) => m.text)).toEqual([
      'third, on the site',
      'second, on the site',
    ]);
    expect(first.items[0].conversation).toMatchObject({
      id: s.widgetConv,
      status: 'open',
      channel: { id: s.widget.id, type: 'api', name: 'Widget' },
    });
    const next = (
      await t.as(t.admin, 'GET', `/api/v1/contacts/${s.contact}/history?limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(next.items.map((m: { text: string }) => m.text)).toEqual(['first, in the app']);
    expect(next.items[0].conversation.channel.name).toBe('App');
    expect(next.nextCursor).toBeNull();

    // The conversation on screen left out: only the others remain.
    const others = (
      await t.as(t.admin, 'GET', `/api/v1/contacts/${s.contact}/history?exclude=${s.widgetConv}`)
    ).json();
    expect(others.items.map((m: { conversationId: string }) => m.conversationId)).toEqual([s.appConv]);

    // An operator outside the app's team never sees that conversation's messages.
    const ivan = await addOperator(t, 'Ivan');
    const seen = (await t.as(ivan, 'GET', `/api/v1/contacts/${s.contact}/history`)).json();
    expect(seen.items.map((m: { text: string }) => m.text)).toEqual([
      'third, on the site',
      'second, on the site',
    ]);

    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${newId(T0)}/history`)).statusCode).toBe(404);
    const away = await t.as(t.admin, 'GET', `/api/v1/contacts/${s.other}/history`);
    expect(away.statusCode).toBe(409);
    expect(away.json()).toMatchObject({
      error: { code: 'contact_merged', details: { mergedInto: s.contact } },
    });
    const bad = await t.as(t.admin, 'GET', `/api/v1/contacts/${s.contact}/history?cursor=bm9wZQ`);
    expect(bad.json().error.code).toBe('validation_error');
  });

  it('replies on another of the customer’s channels through the usual outbound path, and says why not when the window is closed', async () => {
    const s = await olga();
    const channels = (
      await t.as(t.admin, 'GET', `/api/v1/conversations/${s.widgetConv}/reply-channels`)
    ).json();
    expect(channels.items).toEqual([
      expect.objectContaining({
        channel: { id: s.widget.id, type: 'api', name: 'Widget' },
        current: true,
        active: true,
        conversationId: s.widgetConv,
        window: expect.objectContaining({ open: true, reason: 'open' }),
      }),
      expect.objectContaining({
        channel: { id: s.app.id, type: 'api', name: 'App' },
        current: false,
        conversationId: s.appConv,
        window: expect.objectContaining({ open: true, lastInboundAt: T0 }),
      }),
    ]);

    const moved = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'Let us continue in the app',
      clientMessageId: 'move-1',
      channelId: s.app.id,
    });
    expect(moved.statusCode, moved.body).toBe(202);
    expect(moved.json()).toMatchObject({
      conversationId: s.appConv,
      channelId: s.app.id,
      deliveryStatus: 'queued',
      meta: { fromConversationId: s.widgetConv },
    });
    expect(await sendJobs(moved.json().id)).toBe(1);
    // The same clientMessageId again is the same message, not a second one.
    const again = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'Let us continue in the app',
      clientMessageId: 'move-1',
      channelId: s.app.id,
    });
    expect(again.json().id).toBe(moved.json().id);

    // The app's window (24 hours here) closed: refused with the reason, nothing queued, the refusal logged.
    await setRouting(t, s.app.id, { window: { unit: 'hours', value: 24 } });
    t.clock.set(T0 + 25 * HOUR);
    const late = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'Still there?',
      clientMessageId: 'move-2',
      channelId: s.app.id,
    });
    expect(late.statusCode).toBe(422);
    expect(late.json().error).toMatchObject({
      code: 'window_closed',
      details: { reason: 'expired', closedAt: T0 + 24 * HOUR, fallback: 'none' },
    });
    expect(
      await k().selectFrom('messages').select('id').where('client_message_id', '=', 'move-2').execute(),
    ).toHaveLength(0);
    const log = (await t.as(t.admin, 'GET', `/api/v1/refused-sends?conversationId=${s.appConv}`)).json();
    expect(log.items).toEqual([expect.objectContaining({ channelId: s.app.id, reason: 'expired' })]);

    // A private note stays here; a channel the customer has no address on is refused.
    const note = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'note',
      clientMessageId: 'n-1',
      private: true,
      channelId: s.app.id,
    });
    expect(note.json().error.code).toBe('validation_error');
    const stranger = await createApiChannel(t, { name: 'Elsewhere' });
    const nowhere = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'hi',
      clientMessageId: 'x-1',
      channelId: stranger.id,
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().error.message).toMatch(/no address on that channel/);

    // An operator outside the app's team is offered only the widget and cannot send to the app.
    const ivan = await addOperator(t, 'Ivan');
    const hers = (await t.as(ivan, 'GET', `/api/v1/conversations/${s.widgetConv}/reply-channels`)).json();
    expect(hers.items.map((c: { channel: { name: string } }) => c.channel.name)).toEqual(['Widget']);
    const refused = await t.as(ivan, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'hi',
      clientMessageId: 'i-1',
      channelId: s.app.id,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('on a channel the customer never wrote on, offers templates only and opens a new conversation for the one sent', async () => {
    const s = await olga();
    // A WhatsApp number known from an import: an identity, no conversation yet.
    const wa = await seedChannel(t.ctx, t.admin.accountId, 'whatsapp', { name: 'WhatsApp' });
    await k()
      .insertInto('contact_identities')
      .values({
        id: newId(t.clock.now()),
        account_id: t.admin.accountId,
        contact_id: s.contact,
        channel_id: wa,
        external_id: '79990001122',
        created_at: t.clock.now(),
      })
      .execute();
    const offered = (
      await t.as(t.admin, 'GET', `/api/v1/conversations/${s.widgetConv}/reply-channels`)
    ).json();
    expect(offered.items.find((c: { channel: { id: string } }) => c.channel.id === wa)).toMatchObject({
      conversationId: null,
      window: { open: false, reason: 'no_inbound', fallback: 'template' },
    });

    const text = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      text: 'Hello on WhatsApp',
      clientMessageId: 'wa-1',
      channelId: wa,
    });
    expect(text.statusCode).toBe(422);
    expect(text.json().error).toMatchObject({ code: 'window_closed', details: { reason: 'no_inbound' } });
    expect(await k().selectFrom('conversations').select('id').where('channel_id', '=', wa).execute()).toEqual(
      [],
    );

    const tpl = await t.as(t.admin, 'POST', `/api/v1/conversations/${s.widgetConv}/messages`, {
      template: { name: 'order_update', language: 'en', bodyParameters: ['A-1'] },
      clientMessageId: 'wa-2',
      channelId: wa,
    });
    expect(tpl.statusCode, tpl.body).toBe(202);
    const opened = await t.as(t.admin, 'GET', `/api/v1/conversations/${tpl.json().conversationId}`);
    expect(opened.json()).toMatchObject({
      status: 'open',
      channel: { id: wa },
      contact: { id: s.contact },
      // Taken by the one who wrote (the account's assign-on-reply default).
      assigneeId: t.admin.userId,
    });
    expect(await sendJobs(tpl.json().id)).toBe(1);
    // The whole history now shows the template first.
    const history = (await t.as(t.admin, 'GET', `/api/v1/contacts/${s.contact}/history?limit=1`)).json();
    expect(history.items[0]).toMatchObject({
      contentKind: 'template',
      conversation: { channel: { name: 'WhatsApp' } },
    });
  });
});
