import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelKit, channelKit } from '../../../test/channel-kit.ts';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';
import { VISITOR_TOKEN_HEADER } from '../channels/widget/widget-access.ts';

const dialects = await testDialects();

/**
 * The satisfaction survey end to end over the sandboxes' real protocols: sent on resolution with rating
 * buttons (Telegram inline keyboard, WhatsApp interactive list, the widget's stars), the customer's tap
 * recorded as the rating, the next message as the comment, the conversation left resolved.
 */
describe.each(dialects)('CSAT with buttons through the sandboxes (%s)', (dialect) => {
  let tg: TelegramSandbox;
  let wa: WhatsAppSandbox;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    tg = await new TelegramSandbox().start();
    wa = await new WhatsAppSandbox().start();
  });
  afterAll(async () => {
    await tg.stop();
    await wa.stop();
  });
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await wa.settle();
    await t.close();
  });

  const as: ChannelKit['as'] = (s, method, url, body) =>
    channelKit(t, new URL(base).host).as(s, method, url, body);

  async function channel(type: string, settings: Record<string, unknown>) {
    const res = await as(t.admin, 'POST', '/api/v1/channels', { type, name: type, settings });
    expect(res.statusCode, res.body).toBe(201);
    const on = await as(t.admin, 'PATCH', `/api/v1/channels/${res.json().id}/csat`, { enabled: true });
    expect(on.statusCode, on.body).toBe(200);
    return res.json() as { id: string; connection?: { webhookUrl: string; verifyToken: string } };
  }

  /** The only conversation, resolved by the admin once the customer has written; jobs run. */
  async function resolveOnly(): Promise<string> {
    await t.drainJobs();
    const [conv] = (await as(t.admin, 'GET', '/api/v1/conversations')).json().items;
    expect(conv).toBeDefined();
    const r = await as(t.admin, 'PATCH', `/api/v1/conversations/${conv.id}`, { status: 'resolved' });
    expect(r.statusCode, r.body).toBe(200);
    await t.drainJobs();
    return conv.id;
  }

  async function conversation(id: string) {
    return (await as(t.admin, 'GET', `/api/v1/conversations/${id}`)).json();
  }

  it('Telegram: an inline keyboard of ratings; the tap is answered and recorded, then the comment', async () => {
    const bot = tg.createBot({ username: 'acme_csat_bot' });
    await channel('telegram', { botToken: bot.token, apiBaseUrl: tg.url });
    expect(tg.webhookOf(bot.token)?.allowed).toContain('callback_query');
    const alice = { id: 6100001, first_name: 'Alice' };
    await tg.customerSends(bot.token, { from: alice, content: { text: 'My parcel is late' } });
    const convId = await resolveOnly();

    const survey = tg.sentBy(bot.token, alice.id).at(-1)!;
    const keys = (survey.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
    expect(keys.flat().map((k) => k.callback_data)).toEqual([
      'csat:1',
      'csat:2',
      'csat:3',
      'csat:4',
      'csat:5',
    ]);

    const tap = await tg.customerTaps(bot.token, alice.id, survey.message_id, 'csat:4');
    expect(tap.status).toBe(200);
    await t.drainJobs();
    expect(tg.answeredQueries(bot.token), 'the spinner on the button stops').toHaveLength(1);
    // Telegram resending the same update changes nothing.
    await tg.redeliver(bot.token, tap.updateId);
    await t.drainJobs();
    await tg.customerSends(bot.token, { from: alice, content: { text: 'Quick, thanks' } });
    await t.drainJobs();

    const c = await conversation(convId);
    expect(c.status).toBe('resolved');
    expect(c.csat).toMatchObject({ rating: 4, comment: 'Quick, thanks' });
    expect((await as(t.admin, 'GET', '/api/v1/conversations')).json().items).toHaveLength(1);
    const msgs = (await as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
    expect(msgs.filter((m: { meta: { buttonId?: string } }) => m.meta.buttonId === 'csat:4')).toHaveLength(1);
  });

  it('WhatsApp: five ratings as an interactive list; the pick is recorded as the rating', async () => {
    const number = wa.createNumber({ displayPhoneNumber: '15550009999', verifiedName: 'Acme Shop' });
    const ch = await channel('whatsapp', {
      phoneNumberId: number.phoneNumberId,
      accessToken: number.accessToken,
      appSecret: number.appSecret,
      apiBaseUrl: wa.url,
    });
    expect(
      await wa.subscribe(number.phoneNumberId, ch.connection!.webhookUrl, ch.connection!.verifyToken),
    ).toBe(true);
    const maria = '79990005566';
    await wa.customerSends(number.phoneNumberId, {
      from: maria,
      name: 'Maria',
      content: { text: 'Where is it?' },
    });
    await wa.settle();
    const convId = await resolveOnly();
    await wa.settle();

    const line = wa.history(number.phoneNumberId, maria).at(-1)!;
    expect(line.from).toBe('business');
    expect(line.buttons?.map((b) => b.id)).toEqual(['csat:1', 'csat:2', 'csat:3', 'csat:4', 'csat:5']);
    await wa.customerTaps(number.phoneNumberId, maria, line.id, 'csat:2');
    await wa.settle();
    await t.drainJobs();
    await wa.customerSends(number.phoneNumberId, { from: maria, content: { text: 'It came broken' } });
    await wa.settle();
    await t.drainJobs();

    const c = await conversation(convId);
    expect(c.status).toBe('resolved');
    expect(c.csat).toMatchObject({ rating: 2, comment: 'It came broken' });
    expect((await as(t.admin, 'GET', '/api/v1/conversations')).json().items).toHaveLength(1);
  });

  it('widget: the survey shows as stars to the visitor; a star is the rating', async () => {
    const ch = await channel('widget', {});
    const path = (rest: string) => `/api/v1/widget/${ch.id}${rest}`;
    const origin = 'https://shop.example';
    const session = await t.app.inject({
      method: 'POST',
      url: path('/session'),
      headers: { origin },
      payload: {},
    });
    expect(session.statusCode, session.body).toBe(200);
    const headers = { origin, [VISITOR_TOKEN_HEADER]: session.json().token as string };
    const send = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: path('/messages'), headers, payload: body });
    expect((await send({ clientMessageId: 'visitor-first-1', text: 'Hello' })).statusCode).toBe(202);
    const convId = await resolveOnly();

    const seen = (await t.app.inject({ method: 'GET', url: path('/messages'), headers })).json().items;
    const survey = seen.at(-1);
    expect(survey).toMatchObject({ direction: 'out', buttonsStyle: 'rating' });
    expect(survey.buttons.map((b: { id: string }) => b.id)).toEqual([
      'csat:1',
      'csat:2',
      'csat:3',
      'csat:4',
      'csat:5',
    ]);
    const star = survey.buttons[4];
    expect(
      (await send({ clientMessageId: 'visitor-star-1', text: star.title, buttonId: star.id })).statusCode,
    ).toBe(202);
    await t.drainJobs();
    const c = await conversation(convId);
    expect(c.status).toBe('resolved');
    expect(c.csat).toMatchObject({ rating: 5 });
  });
});
