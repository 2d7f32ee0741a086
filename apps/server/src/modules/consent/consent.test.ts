import { describe, expect, it } from 'vitest';
import { seedChannel, seedConversations } from '../../../test/seed.ts';
import type { Session } from '../../../test/test-app.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { addOperator, conversationOf, postInbound } from '../routing/routing-test-kit.ts';
import { conversationWindow, sendAllowed, windowState } from '../routing/window/window-policy.ts';
import { matchKeyword } from './consent-keywords.ts';
import { consentScope, optInLiftsWindow } from './consent-scope.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 7, 0, 0);

describe('SMS keywords', () => {
  it('match the whole message, in any case, trimmed, English and Russian', () => {
    for (const w of [
      'STOP',
      'stop',
      ' Stop ',
      'STOPALL',
      'unsubscribe',
      'Cancel',
      'END',
      'quit',
      'СТОП',
      'стоп',
      'Отписаться',
    ])
      expect(matchKeyword(w)?.action, w).toBe('opt_out');
    for (const w of ['START', 'yes', 'UNSTOP', 'Subscribe', 'старт'])
      expect(matchKeyword(w)?.action, w).toBe('opt_in');
    for (const w of ['HELP', 'info', 'Помощь']) expect(matchKeyword(w)?.action, w).toBe('help');
    expect(matchKeyword('STOP.')).toMatchObject({ action: 'opt_out', keyword: 'STOP', language: 'en' });
    expect(matchKeyword('стоп')).toMatchObject({ keyword: 'СТОП', language: 'ru' });
  });

  it('do not match inside a longer message or an ordinary word', () => {
    for (const w of ['STOP PLEASE', 'please stop', 'stopping', 'Yes please', 'help me', '', '   ', 'STARTUP'])
      expect(matchKeyword(w), w).toBeNull();
    expect(matchKeyword(null)).toBeNull();
  });

  it("take a channel's extra keywords; an opt-out word wins over any other list", () => {
    expect(matchKeyword('BASTA', { optOut: ['basta'] })?.action).toBe('opt_out');
    expect(matchKeyword('STOP', { optIn: ['stop'] })?.action).toBe('opt_out');
    expect(matchKeyword('ALLO', { help: ['Allo'] })?.action).toBe('help');
  });
});

describe('window with consent (pure)', () => {
  const closed = windowState('telegram', 7 * DAY, T0, T0 + 7 * DAY);
  it('an opt-out closes even an unlimited window, and templates too', () => {
    const s = windowState('twilio_sms', null, T0, T0, { optedOut: true, optedIn: false });
    expect(s).toMatchObject({ open: false, reason: 'opted_out', fallback: 'none' });
    const wa = windowState('whatsapp', DAY, T0, T0 + 1000, { optedOut: true, optedIn: false });
    expect(sendAllowed(wa, 'template')).toBe(false);
    expect(sendAllowed(wa, 'reply')).toBe(false);
  });

  it('an opt-in opens a closed window where the provider lets the business write first', () => {
    expect(closed).toMatchObject({ open: false, reason: 'expired' });
    const s = windowState('telegram', 7 * DAY, T0, T0 + 7 * DAY, { optedOut: false, optedIn: true });
    expect(s).toMatchObject({ open: true, reason: 'opted_in', closesAt: null });
    expect(sendAllowed(s, 'automatic')).toBe(true);
    expect(windowState('api', 7 * DAY, null, T0, { optedOut: false, optedIn: true }).open).toBe(true);
  });

  it('never on WhatsApp: the 24 hours are the provider’s; templates still pass', () => {
    const s = windowState('whatsapp', DAY, T0, T0 + DAY, { optedOut: false, optedIn: true });
    expect(s).toMatchObject({ open: false, reason: 'expired', fallback: 'template' });
    expect(sendAllowed(s, 'reply')).toBe(false);
    expect(sendAllowed(s, 'template')).toBe(true);
    expect(optInLiftsWindow('whatsapp')).toBe(false);
    expect(optInLiftsWindow('some_future_provider')).toBe(false);
  });

  it('SMS channels share one scope; others are their own', () => {
    expect(consentScope('twilio_sms')).toBe('sms');
    expect(consentScope('telegram')).toBe('telegram');
  });
});

const dialects = await testDialects();

describe.each(dialects)('consent API and the window (%s)', (dialect) => {
  const t = useTestApp(dialect, { clock: T0, apiChannel: {} });

  const reply = (conversationId: string, clientMessageId: string) =>
    t.as(t.admin, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Our news',
      clientMessageId,
    });
  const put = (contactId: string, body: unknown, as: Session = t.admin) =>
    t.as(as, 'PUT', `/api/v1/contacts/${contactId}/consent`, body);

  it('an imported opt-in lets the business write after the 7 days; an opt-out stops it', async () => {
    await postInbound(t, t.channel, 'c1', 'Hi');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const contactId = (conv.contact as { id: string }).id;
    t.clock.set(T0 + 7 * DAY - 1000);
    expect((await reply(conv.id, 'r-1')).statusCode).toBe(202);
    t.clock.set(T0 + 7 * DAY + 1000);
    expect((await reply(conv.id, 'r-2')).json().error.code).toBe('window_closed');

    const res = await put(contactId, { optIn: true, source: 'newsletter signup 2026-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      {
        scope: 'api',
        status: 'opted_in',
        optedInAt: T0 + 7 * DAY + 1000,
        optInVia: 'api',
        optInSource: 'newsletter signup 2026-01',
        optedOutAt: null,
        optOutVia: null,
        optOutSource: null,
        updatedAt: T0 + 7 * DAY + 1000,
      },
    ]);
    expect((await reply(conv.id, 'r-3')).statusCode).toBe(202);
    const w = (await t.as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(w).toMatchObject({ open: true, reason: 'opted_in', closesAt: null });

    // The customer (or a colleague on the phone) says stop: nothing goes out, templates neither.
    t.clock.set(T0 + 8 * DAY);
    expect((await put(contactId, { optIn: false, source: 'asked by phone' })).statusCode).toBe(200);
    const refused = await reply(conv.id, 'r-4');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'opted_out', details: { reason: 'opted_out' } });
    // Even a fresh message from them does not undo an opt-out.
    await postInbound(t, t.channel, 'c1', 'Where is my parcel?');
    await t.drainJobs();
    expect((await reply(conv.id, 'r-5')).json().error.code).toBe('opted_out');
    // An opt-out recorded through the API may be lifted through it.
    expect((await put(contactId, { optIn: true, source: 'customer called back' })).statusCode).toBe(200);
    expect((await reply(conv.id, 'r-6')).statusCode).toBe(202);

    const audit = (await t.as(t.admin, 'GET', '/api/v1/audit-log')).json();
    const consent = audit.items.filter((a: { action: string }) => a.action.startsWith('contact.opted'));
    expect(
      consent.map((a: { action: string; details: { source: string } }) => [a.action, a.details.source]),
    ).toEqual(
      expect.arrayContaining([
        ['contact.opted_in', 'newsletter signup 2026-01'],
        ['contact.opted_out', 'asked by phone'],
        ['contact.opted_in', 'customer called back'],
      ]),
    );
    expect(consent.every((a: { user: { id: string } | null }) => a.user?.id === t.admin.userId)).toBe(true);
  });

  it('the send job re-checks: a reply queued before an opt-out fails with opted_out, unsent', async () => {
    await postInbound(t, t.channel, 'c1');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const r = await reply(conv.id, 'r-1');
    expect(r.statusCode).toBe(202);
    await put((conv.contact as { id: string }).id, { optIn: false, source: 'complaint' });
    await t.drainJobs();
    const msg = await t.ctx.db.kysely
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(msg).toMatchObject({
      delivery_status: 'failed',
      error_code: 'opted_out',
      provider_message_id: null,
    });
    const log = (await t.as(t.admin, 'GET', `/api/v1/refused-sends?conversationId=${conv.id}`)).json();
    expect(log.items).toEqual([expect.objectContaining({ path: 'reply', reason: 'opted_out' })]);
  });

  it('opt-in does not lift WhatsApp’s 24 hours', async () => {
    const id = await seedChannel(t.ctx, t.admin.accountId, 'whatsapp', { name: 'WA' });
    const {
      conversationIds: [convId],
    } = await seedConversations(t.ctx, t.admin.accountId, 1, { channelId: id });
    const conv = await t.ctx.db.kysely
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', convId!)
      .executeTakeFirstOrThrow();
    expect((await put(conv.contact_id, { optIn: true, source: 'import' })).statusCode).toBe(200);
    t.clock.set(T0 + DAY - 1000);
    expect((await reply(convId!, 'r-1')).statusCode).toBe(202);
    t.clock.set(T0 + DAY + 1000);
    expect((await reply(convId!, 'r-2')).json().error.code).toBe('window_closed');
    const w = await conversationWindow(t.ctx.db.kysely, conv, t.clock.now());
    expect(w).toMatchObject({ reason: 'expired', fallback: 'template' });
    expect(sendAllowed(w, 'template')).toBe(true);
  });

  it('validates, scopes and guards who may record what', async () => {
    await postInbound(t, t.channel, 'c1');
    await t.drainJobs();
    const conv = await conversationOf(t, 'c1');
    const contactId = (conv.contact as { id: string }).id;
    expect((await t.as(t.admin, 'GET', `/api/v1/contacts/${contactId}/consent`)).json().items).toEqual([
      expect.objectContaining({ scope: 'api', status: 'none' }),
    ]);
    const noSource = await put(contactId, { optIn: true });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json().error.code).toBe('validation_error');
    const badScope = await put(contactId, { optIn: true, source: 'x', scope: 'sms' });
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json().error.message).toMatch(/not reachable in "sms"/);
    expect((await put('nope', { optIn: false, source: 'x' })).statusCode).toBe(404);

    const op = await addOperator(t, 'Olga');
    const opIn = await put(contactId, { optIn: true, source: 'I think they want it' }, op);
    expect(opIn.statusCode).toBe(403);
    const opOut = await put(contactId, { optIn: false, source: 'asked in chat' }, op);
    expect(opOut.statusCode).toBe(200);
    expect(opOut.json().items[0]).toMatchObject({ status: 'opted_out', optOutVia: 'api' });
  });
});
