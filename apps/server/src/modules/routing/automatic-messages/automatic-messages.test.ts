import { beforeEach, describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { ROUTING_JOBS } from '../routing-job-types.ts';
import {
  automaticMessages,
  conversationOf,
  createOfficeSchedule,
  pendingJobs,
  postInbound,
  setRouting,
} from '../routing-test-kit.ts';
import { DEFAULT_TEXTS } from '../settings/routing-settings.ts';

const dialects = await testDialects();
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 5 January 2026, 10:00 in Moscow. */
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

describe.each(dialects)('automatic messages (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: () => ({ callbackUrl: callback.url }) });
  let scheduleId: string;
  const callback = useCallbackServer();

  beforeEach(async () => {
    scheduleId = await createOfficeSchedule(t);
    callback.received.length = 0;
  });

  const online = async () => {
    expect((await t.as(t.admin, 'PATCH', '/api/v1/me', { availability: 'online' })).statusCode).toBe(200);
  };
  const resolve = async (id: string) => {
    const r = await t.as(t.admin, 'PATCH', `/api/v1/conversations/${id}`, { status: 'resolved' });
    expect(r.statusCode, r.body).toBe(200);
  };
  const metaOf = async (id: string) =>
    JSON.parse(
      (
        await t.ctx.db.kysely
          .selectFrom('messages')
          .select('meta')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).meta,
    );

  it('greets a new conversation while online, through the normal send path, once per throttle interval', async () => {
    await setRouting(t, t.channel.id, {
      scheduleId,
      automaticMessages: { throttleHours: 2, greeting: { enabled: true } },
    });
    await online();
    await postInbound(t, t.channel, 'c1', 'Hi');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const [greeting, ...rest] = await automaticMessages(t, conv.id);
    expect(rest).toHaveLength(0);
    expect(greeting).toMatchObject({
      direction: 'out',
      authorKind: 'system',
      text: DEFAULT_TEXTS.greeting.en,
      deliveryStatus: 'sent',
    });
    expect(await metaOf(greeting!.id)).toEqual({ automatic: 'greeting' });
    expect(callback.received.map((r) => r.raw).join()).toContain(DEFAULT_TEXTS.greeting.en);
    // Not a reply: first response time and last outbound stay the operator's.
    expect(conv).toMatchObject({ lastOutboundAt: null, firstResponseAt: null });

    // Further messages of the same conversation are not greeted.
    await postInbound(t, t.channel, 'c1', 'Are you there?');
    await t.drainJobs();
    expect(await automaticMessages(t, conv.id)).toHaveLength(1);

    // A new conversation of the same customer within the interval is not greeted again...
    await resolve(conv.id);
    t.clock.set(T0 + 2 * HOUR - 1000);
    await postInbound(t, t.channel, 'c1', 'Me again');
    await t.drainJobs();
    const second = await conversationOf(t, 'c1');
    expect(second.id).not.toBe(conv.id);
    expect(await automaticMessages(t, second.id)).toHaveLength(0);
    // ...another customer is.
    await postInbound(t, t.channel, 'c2', 'Hello');
    await t.drainJobs();
    expect(await automaticMessages(t, (await conversationOf(t, 'c2')).id)).toHaveLength(1);

    // Once the interval has passed, the customer is greeted again.
    await resolve(second.id);
    t.clock.set(T0 + 2 * HOUR);
    await postInbound(t, t.channel, 'c1', 'And again');
    await t.drainJobs();
    expect(await automaticMessages(t, (await conversationOf(t, 'c1')).id)).toHaveLength(1);
  });

  it('answers outside working hours with the next opening in the channel zone, in Russian', async () => {
    await setRouting(t, t.channel.id, {
      scheduleId,
      language: 'ru',
      automaticMessages: { offline: { enabled: true } },
    });
    await online();
    t.clock.set(Date.UTC(2026, 0, 5, 16, 0)); // 19:00 in Moscow
    await postInbound(t, t.channel, 'c1', 'Добрый вечер');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const [reply] = await automaticMessages(t, conv.id);
    expect(reply?.text).toBe(
      'Спасибо за сообщение. Сейчас мы не работаем и ответим, когда откроемся: вторник, 6 января в 09:00 GMT+3.',
    );
    expect(await metaOf(reply!.id)).toEqual({ automatic: 'offline' });

    // The default interval is 12 hours: a second message an hour later gets nothing.
    t.clock.advance(HOUR);
    await postInbound(t, t.channel, 'c1', 'Алло?');
    await t.drainJobs();
    expect(await automaticMessages(t, conv.id)).toHaveLength(1);

    // The admin's own text with variables; Friday night points to Monday.
    await setRouting(t, t.channel.id, {
      scheduleId,
      language: 'ru',
      automaticMessages: {
        offline: {
          enabled: true,
          text: { ru: '{{contact.name}}, {{channel.name}} откроется {{next_open_time}}.' },
        },
      },
    });
    t.clock.set(Date.UTC(2026, 0, 9, 20, 0));
    await postInbound(t, t.channel, 'c2', 'Пятница');
    await t.drainJobs();
    const [custom] = await automaticMessages(t, (await conversationOf(t, 'c2')).id);
    expect(custom?.text).toBe('Customer c2, Shop откроется понедельник, 12 января в 09:00 GMT+3.');
  });

  it('is offline when no operator is online or an admin forces it, and online when forced', async () => {
    await setRouting(t, t.channel.id, {
      scheduleId,
      automaticMessages: { greeting: { enabled: true }, offline: { enabled: true } },
    });
    // Within hours but nobody online: the opening time is unknown.
    await postInbound(t, t.channel, 'c1', 'Hi');
    await t.drainJobs();
    const [nobody] = await automaticMessages(t, (await conversationOf(t, 'c1')).id);
    expect(nobody?.text).toBe(DEFAULT_TEXTS.offline.en.replace('{{next_open_time}}', 'as soon as possible'));
    let status = (await t.as(t.admin, 'GET', '/api/v1/center/status')).json();
    expect(status).toMatchObject({
      mode: 'auto',
      channels: [
        { channelId: t.channel.id, online: false, reason: 'no_operator_online', scheduleOpen: true },
      ],
    });

    await online();
    expect((await t.as(t.admin, 'POST', '/api/v1/center/status', { mode: 'offline' })).statusCode).toBe(200);
    await postInbound(t, t.channel, 'c2', 'Hi');
    await t.drainJobs();
    const [forcedOff] = await automaticMessages(t, (await conversationOf(t, 'c2')).id);
    expect(await metaOf(forcedOff!.id)).toEqual({ automatic: 'offline' });

    // Forced online at night: greeted, not told we are closed.
    status = (await t.as(t.admin, 'POST', '/api/v1/center/status', { mode: 'online' })).json();
    t.clock.set(Date.UTC(2026, 0, 5, 22, 0));
    await postInbound(t, t.channel, 'c3', 'Hi');
    await t.drainJobs();
    const [forcedOn] = await automaticMessages(t, (await conversationOf(t, 'c3')).id);
    expect(await metaOf(forcedOn!.id)).toEqual({ automatic: 'greeting' });
    status = (await t.as(t.admin, 'GET', '/api/v1/center/status')).json();
    expect(status.channels[0]).toMatchObject({ online: true, reason: 'forced_online', scheduleOpen: false });
    expect(status.channels[0].nextOpenAt).toBe(Date.UTC(2026, 0, 6, 6, 0));
  });

  it('says "we got your message" when nobody answered within N minutes, once per interval', async () => {
    await setRouting(t, t.channel.id, {
      automaticMessages: { noAnswer: { enabled: true, afterMinutes: 5 } },
    });
    await postInbound(t, t.channel, 'c1', 'Hi');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    expect((await pendingJobs(t, ROUTING_JOBS.noAnswer)).map((j) => j.run_at)).toEqual([T0 + 5 * MIN]);
    // A second customer message while waiting does not start another timer.
    await postInbound(t, t.channel, 'c1', 'Hello?');
    await t.drainJobs();
    expect(await pendingJobs(t, ROUTING_JOBS.noAnswer)).toHaveLength(1);

    t.clock.set(T0 + 5 * MIN - 1000);
    await t.drainJobs();
    expect(await automaticMessages(t, conv.id)).toHaveLength(0);
    t.clock.set(T0 + 5 * MIN);
    await t.drainJobs();
    const [ack] = await automaticMessages(t, conv.id);
    expect(ack).toMatchObject({ text: DEFAULT_TEXTS.no_answer.en, deliveryStatus: 'sent' });
    expect(await metaOf(ack!.id)).toEqual({ automatic: 'no_answer' });

    // The operator answers; the customer writes again and again nobody answers: throttled (12 h).
    const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Here',
      clientMessageId: 'op-1',
    });
    expect(r.statusCode).toBe(202);
    t.clock.advance(MIN);
    await postInbound(t, t.channel, 'c1', 'Thanks, one more thing');
    await t.drainJobs();
    expect(await pendingJobs(t, ROUTING_JOBS.noAnswer)).toHaveLength(1);
    t.clock.advance(5 * MIN);
    await t.drainJobs();
    expect(await automaticMessages(t, conv.id)).toHaveLength(1);

    // A channel deactivated before the timer fires sends nothing.
    await postInbound(t, t.channel, 'c3', 'Hi');
    await t.drainJobs();
    expect((await t.as(t.admin, 'DELETE', `/api/v1/channels/${t.channel.id}`)).statusCode).toBe(204);
    t.clock.advance(5 * MIN);
    await t.drainJobs();
    expect(await automaticMessages(t, (await conversationOf(t, 'c3')).id)).toHaveLength(0);
    await t.as(t.admin, 'PATCH', `/api/v1/channels/${t.channel.id}`, { active: true });

    // Another customer answered in time gets nothing.
    await postInbound(t, t.channel, 'c2', 'Hi');
    await t.drainJobs();
    const c2 = await conversationOf(t, 'c2');
    t.clock.advance(4 * MIN);
    await t.as(t.admin, 'POST', `/api/v1/conversations/${c2.id}/messages`, {
      text: 'Yes?',
      clientMessageId: 'op-2',
    });
    t.clock.advance(MIN);
    await t.drainJobs();
    expect(await automaticMessages(t, c2.id)).toHaveLength(0);
  });

  it('refuses texts with unknown variables and out-of-range settings', async () => {
    const put = (body: unknown) => t.as(t.admin, 'PUT', `/api/v1/channels/${t.channel.id}/routing`, body);
    const unknown = await put({
      automaticMessages: { greeting: { enabled: true, text: { en: 'Hi {{name}}' } } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('validation_error');
    expect((await put({ automaticMessages: { throttleHours: -1 } })).statusCode).toBe(400);
    expect((await put({ automaticMessages: { noAnswer: { afterMinutes: 0 } } })).statusCode).toBe(400);
    expect((await put({ scheduleId: 'no-such-schedule' })).statusCode).toBe(400);
    // A misspelt field is an error, not silently dropped.
    expect((await put({ automaticMesages: {} })).statusCode).toBe(400);
    expect((await put({ assignment: { mode: 'round_robin', stickY: false } })).statusCode).toBe(400);
    const defaults = (await t.as(t.admin, 'GET', `/api/v1/channels/${t.channel.id}/routing`)).json();
    expect(defaults).toMatchObject({
      scheduleId: null,
      language: 'en',
      window: { unit: 'days', value: 7 },
      assignment: { mode: 'manual', sticky: true, reassignOnOffline: true, noReplyReassignMinutes: null },
      automaticMessages: {
        throttleHours: 12,
        greeting: { enabled: false, text: DEFAULT_TEXTS.greeting },
        noAnswer: { enabled: false, afterMinutes: 5 },
      },
    });
  });
});
