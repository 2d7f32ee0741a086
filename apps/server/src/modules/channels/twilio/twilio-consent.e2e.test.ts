import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { signTwilio } from '../../../sandbox/twilio-sandbox.ts';
import { sendJobs } from '../channel-e2e-kit.ts';
import { BUSINESS, MARIA, useTwilio } from './twilio-e2e-kit.ts';

const dialects = await testDialects();

const _PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('mms png'),
]);

/** STOP, START, HELP and YES, and Twilio's own opt-out error 21610, as the sandbox sends them. */
describe.each(dialects)('Twilio SMS consent through the sandbox (%s)', (dialect) => {
  const tw = useTwilio(dialect);
  const { t, sandbox, as, reply, connect, text, conversations, messagesOf, messageById, settle, consentOf } =
    tw;

  it('STOP opts the contact out: kept as a message, noted, and every send is refused until START', async () => {
    await connect();
    await text('Hi');
    await t.drainJobs();
    const [conv] = await conversations();
    // A reply queued before the STOP is processed must not go out either: the send job re-checks.
    const queued = await reply(conv.id, 'Here is our offer', 'r-before');
    expect(queued.statusCode).toBe(202);
    const sendJob = t.ctx.db.kysely.updateTable('jobs').where('type', '=', 'message.send');
    await sendJob.set({ run_at: Date.now() + 3_600_000 }).execute();
    const stop = await text('  stop ');
    // Twilio answers STOP itself on long codes: our TwiML stays empty.
    expect(stop.body).not.toContain('<Message>');
    expect(sandbox.isOptedOut(tw.acct.accountSid, BUSINESS, MARIA)).toBe(true);
    await settle();
    await sendJob.set({ run_at: 0 }).execute();
    await settle();
    const msgs = await messagesOf(conv.id);
    const before = msgs.find((m: { id: string }) => m.id === queued.json().id);
    expect(before).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'opted_out', message: expect.stringMatching(/^The customer opted out of messages/) },
    });
    expect(sandbox.sentTo(tw.acct.accountSid, MARIA).filter((m) => m.direction === 'outbound-api')).toEqual(
      [],
    );
    expect(msgs.map((m: { text: string }) => m.text)).toContain('  stop ');
    const note = msgs.find((m: { meta?: { event?: string } }) => m.meta?.event === 'consent');
    expect(note).toMatchObject({
      contentKind: 'system',
      private: true,
      meta: { action: 'opt_out', scope: 'sms' },
    });
    expect(note.text).toMatch(/opted out of SMS by sending STOP/);
    const contactId = conv.contact.id;
    expect(await consentOf(contactId)).toEqual([
      expect.objectContaining({
        scope: 'sms',
        status: 'opted_out',
        optOutVia: 'keyword',
        optOutSource: 'STOP',
      }),
    ]);

    const refused = await reply(conv.id, 'Are you sure?', 'r-after');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'opted_out' });
    expect(
      await t.ctx.db.kysely
        .selectFrom('messages')
        .select('id')
        .where('client_message_id', '=', 'r-after')
        .execute(),
    ).toHaveLength(0);
    const w = (await as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(w).toMatchObject({ open: false, reason: 'opted_out', fallback: 'none' });
    const log = (await as(t.admin, 'GET', `/api/v1/refused-sends?conversationId=${conv.id}`)).json();
    expect(log.items.map((i: { path: string; reason: string }) => [i.path, i.reason])).toEqual([
      ['reply', 'opted_out'],
      ['reply', 'opted_out'],
    ]);
    // An admin cannot lift the customer's own STOP.
    const lift = await as(t.admin, 'PUT', `/api/v1/contacts/${contactId}/consent`, {
      optIn: true,
      source: 'crm import',
    });
    expect(lift.statusCode).toBe(409);

    await text('START');
    await settle();
    expect(sandbox.isOptedOut(tw.acct.accountSid, BUSINESS, MARIA)).toBe(false);
    expect(await consentOf(contactId)).toEqual([
      expect.objectContaining({
        status: 'opted_in',
        optInVia: 'keyword',
        optInSource: 'START',
        optOutSource: 'STOP',
      }),
    ]);
    const again = await reply(conv.id, 'Welcome back', 'r-back');
    expect(again.statusCode).toBe(202);
    await settle();
    expect(sandbox.sentTo(tw.acct.accountSid, MARIA).map((s) => s.body)).toContain('Welcome back');
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('target_id', '=', contactId)
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['contact.opted_out', 'contact.opted_in']);
    expect(audit[0]!.user_id).toBeNull();
  });

  it('answers STOP/HELP itself in TwiML when configured to (short codes), in the keyword’s language', async () => {
    await connect({
      keywordReplies: 'switchboard',
      replies: { help: '{name} support: reply STOP to opt out.' },
    });
    const help = await text('Help');
    expect(help.twimlReplies).toEqual(['Acme support: reply STOP to opt out.']);
    const stop = await text('СТОП');
    expect(stop.twimlReplies).toHaveLength(1);
    expect(stop.twimlReplies[0]).toMatch(/^Acme: вы отписались/);
    // "STOP PLEASE" is an ordinary message.
    expect((await text('STOP PLEASE')).twimlReplies).toEqual([]);
    await settle();
    const [conv] = await conversations();
    expect((await consentOf(conv.contact.id))[0]).toMatchObject({
      status: 'opted_out',
      optOutSource: 'СТОП',
    });
  });

  it('YES is an everyday answer, not an opt-in, unless the customer had opted out', async () => {
    await connect();
    await text('Can you deliver on Monday?');
    await text('yes');
    await settle();
    const [conv] = await conversations();
    expect((await consentOf(conv.contact.id))[0]).toMatchObject({ status: 'none' });
    await text('STOP');
    await text('Yes');
    await settle();
    expect((await consentOf(conv.contact.id))[0]).toMatchObject({
      status: 'opted_in',
      optInVia: 'keyword',
      optInSource: 'YES',
    });
  });

  it('21610 from Twilio (a STOP Switchboard never saw) fails the send and opts the contact out', async () => {
    await connect();
    await text('Hi');
    await t.drainJobs();
    const [conv] = await conversations();
    sandbox.failNext(tw.acct.accountSid, {
      httpStatus: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    const r = await reply(conv.id, 'Deal of the day', 'r-1');
    await t.drainJobs();
    expect((await messageById(conv.id, r.json().id)).error).toMatchObject({ code: 'opted_out' });
    expect((await consentOf(conv.contact.id))[0]).toMatchObject({
      status: 'opted_out',
      optOutVia: 'provider',
      optOutSource: 'twilio:21610',
    });
    expect((await reply(conv.id, 'Hello?', 'r-2')).json().error.code).toBe('opted_out');
    expect(await sendJobs(t)).toHaveLength(1);
  });

  it('21610 in a status callback (Twilio accepted the send) opts the contact out once, like a refused send', async () => {
    await connect();
    await text('Hi');
    await t.drainJobs();
    const [conv] = await conversations();
    const earlier = await reply(conv.id, 'Welcome!', 'r-0');
    await settle();
    sandbox.markOptedOutLater(tw.acct.accountSid, MARIA);
    const r = await reply(conv.id, 'Deal of the day', 'r-1');
    expect(r.statusCode).toBe(202);
    await settle();
    const sent = sandbox.sentTo(tw.acct.accountSid, MARIA);
    expect(sent.map((m) => [m.body, m.status, m.errorCode])).toEqual([
      ['Welcome!', 'delivered', null],
      ['Deal of the day', 'failed', 21610],
    ]);
    expect(await messageById(conv.id, r.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'opted_out' },
    });
    expect((await consentOf(conv.contact.id))[0]).toMatchObject({
      status: 'opted_out',
      optOutVia: 'provider',
      optOutSource: 'twilio:21610 (status callback)',
    });
    const consentNotes = async () =>
      (await messagesOf(conv.id)).filter((m: { meta?: { event?: string } }) => m.meta?.event === 'consent');
    const notes = await consentNotes();
    expect(notes).toEqual([
      expect.objectContaining({
        contentKind: 'system',
        private: true,
        meta: expect.objectContaining({ action: 'opt_out', scope: 'sms', via: 'provider' }),
      }),
    ]);
    expect(notes[0].text).toContain('opted out of SMS (twilio:21610 (status callback))');

    const refused = await reply(conv.id, 'Hello?', 'r-2');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'opted_out' });

    // Twilio posts the same callback again, then a 21610 failure for the earlier message: the message is
    // marked, but the opt-out is not recorded twice (no second note, audit entry or decision).
    const callback = sandbox.webhookLog.find((w) => w.params.ErrorCode === '21610');
    expect(callback).toBeDefined();
    const post = (params: [string, string][]) =>
      fetch(tw.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilio(tw.acct.authToken, tw.webhookUrl, params),
        },
        body: new URLSearchParams(params).toString(),
      });
    expect((await post(Object.entries(callback!.params))).status).toBe(200);
    const earlierSid = sent[0]!.sid;
    const forEarlier = Object.entries({
      ...callback!.params,
      SmsSid: earlierSid,
      MessageSid: earlierSid,
    });
    expect((await post(forEarlier)).status).toBe(200);
    await settle();
    expect(await messageById(conv.id, earlier.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'opted_out' },
    });
    const audit = await t.ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', conv.contact.id)
      .execute();
    expect(audit.map((x) => x.action)).toEqual(['contact.opted_out']);
    expect(await consentNotes()).toHaveLength(1);
  });

  it('a greeting is not sent to a new customer whose first text is STOP', async () => {
    await connect();
    await as(t.admin, 'PUT', `/api/v1/channels/${tw.channelId}/routing`, {
      automaticMessages: { greeting: { enabled: true } },
    });
    await as(t.admin, 'PATCH', '/api/v1/me', { availability: 'online' });
    await text('STOP', '+15550002222');
    await text('Hello', '+15550003333');
    await settle();
    const log = (await as(t.admin, 'GET', '/api/v1/refused-sends')).json();
    expect(log.items).toEqual([expect.objectContaining({ path: 'automatic', reason: 'opted_out' })]);
    expect(
      sandbox.sentTo(tw.acct.accountSid, '+15550002222').filter((m) => m.direction === 'outbound-api'),
    ).toEqual([]);
    expect(
      sandbox.sentTo(tw.acct.accountSid, '+15550003333').filter((m) => m.direction === 'outbound-api'),
    ).toHaveLength(1);
  });
});
