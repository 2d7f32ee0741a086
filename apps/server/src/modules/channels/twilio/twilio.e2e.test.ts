import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelKit, type CountedTable, channelKit } from '../../../../test/channel-kit.ts';
import { type TestApp, createTestApp } from '../../../../test/test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { TwilioSandbox, signTwilio } from '../../../sandbox/twilio-sandbox.ts';

const dialects = await testDialects();

const BUSINESS = '+15550001111';
const MARIA = '+15557654321';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('mms png'),
]);

describe.each(dialects)('Twilio SMS through the sandbox (%s)', (dialect) => {
  let sandbox: TwilioSandbox;
  let t: TestApp;
  let base: string;
  let acct: { accountSid: string; authToken: string };
  let channelId: string;
  let webhookUrl: string;

  beforeAll(async () => {
    sandbox = await new TwilioSandbox().start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    acct = sandbox.createAccount('Acme SMS');
    sandbox.addNumber(acct.accountSid, BUSINESS);
  });
  afterEach(async () => {
    await sandbox.settle();
    await t.close();
  });

  const as: ChannelKit['as'] = (s, method, url, body) =>
    channelKit(t, new URL(base).host).as(s, method, url, body);
  const connect = async (settings: Record<string, unknown> = {}) => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'Acme',
      settings: {
        accountSid: acct.accountSid,
        authToken: acct.authToken,
        fromNumber: BUSINESS,
        apiBaseUrl: sandbox.url,
        ...settings,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    webhookUrl = res.json().connection.webhookUrl;
    sandbox.setWebhook(acct.accountSid, BUSINESS, webhookUrl);
    return res;
  };
  const text = (body: string, from = MARIA) =>
    sandbox.customerTexts(acct.accountSid, { from, to: BUSINESS, body });
  const count = (table: CountedTable) => channelKit(t).count(table);
  const conversations = async () => (await as(t.admin, 'GET', '/api/v1/conversations')).json().items;
  const messagesOf = async (convId: string) =>
    (await as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
  const messageById = async (convId: string, id: string) =>
    (await messagesOf(convId)).find((m: { id: string }) => m.id === id);
  const reply = (convId: string, body: string, clientMessageId: string) =>
    as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, { text: body, clientMessageId });
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await sandbox.settle();
      await t.drainJobs();
    }
  };
  const consentOf = async (contactId: string) =>
    (await as(t.admin, 'GET', `/api/v1/contacts/${contactId}/consent`)).json().items;

  it('creation checks the credentials and the number; secrets never come back', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'x',
      settings: {
        accountSid: acct.accountSid,
        authToken: 'f'.repeat(32),
        fromNumber: BUSINESS,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^settings\.authToken: Twilio does not accept/);
    const notOurs = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'x',
      settings: { ...acct, fromNumber: '+15559990000', apiBaseUrl: sandbox.url },
    });
    expect(notOurs.statusCode).toBe(400);
    expect(notOurs.json().error.message).toMatch(/^settings\.fromNumber: \+15559990000 is not/);
    const both = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'x',
      settings: { ...acct, apiBaseUrl: sandbox.url },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toMatch(/exactly one of fromNumber and messagingServiceSid/);
    expect(await count('channels')).toBe(0);

    const res = await connect();
    expect(res.json().settings).toMatchObject({
      accountSid: acct.accountSid,
      fromNumber: BUSINESS,
      accountName: 'Acme SMS',
      keywordReplies: 'twilio',
    });
    expect(res.body).not.toContain(acct.authToken);
    expect(res.json().connection).toMatchObject({
      webhookUrl: `${base}/webhooks/twilio_sms/${channelId}`,
      signatureHeader: 'X-Twilio-Signature',
    });
    // An update without the token keeps the stored one.
    const upd = await as(t.admin, 'PATCH', `/api/v1/channels/${channelId}`, {
      settings: { accountSid: acct.accountSid, fromNumber: BUSINESS, apiBaseUrl: sandbox.url },
    });
    expect(upd.statusCode, upd.body).toBe(200);
  });

  it('a text becomes a conversation; empty TwiML back; a forged or replayed post stores nothing new', async () => {
    await connect();
    const first = await text('Hi, is my order shipped?');
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/xml/);
    expect(first.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');

    const params: [string, string][] = [
      ['MessageSid', `SM${'a'.repeat(32)}`],
      ['AccountSid', acct.accountSid],
      ['From', MARIA],
      ['To', BUSINESS],
      ['Body', 'forged'],
      ['NumMedia', '0'],
    ];
    const post = (signature: string, url = webhookUrl) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
    const forged = await post(signTwilio('0'.repeat(32), webhookUrl, params));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    // Signed for another URL (a query string added on the way): refused too.
    const moved = await post(signTwilio(acct.authToken, webhookUrl, params), `${webhookUrl}?x=1`);
    expect(moved.status).toBe(403);
    const unsigned = await fetch(webhookUrl, { method: 'POST', body: 'Body=x' });
    expect(unsigned.status).toBe(403);
    // A correctly signed post of the same MessageSid twice: stored once.
    const good = signTwilio(acct.authToken, webhookUrl, params);
    expect((await post(good)).status).toBe(200);
    expect((await post(good)).status).toBe(200);
    expect(await count('inbound_events')).toBe(2);
    await t.drainJobs();

    const convs = await conversations();
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ channel: { type: 'twilio_sms' } });
    const msgs = await messagesOf(convs[0].id);
    expect(msgs.map((m: { text: string }) => m.text)).toEqual(['Hi, is my order shipped?', 'forged']);
    expect(msgs[0].providerMessageId).toBe(first.sid);
    const contact = await t.ctx.db.kysely.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
    expect(contact.phone).toBe(MARIA);
    // No provider timestamp: the window starts when Switchboard received the text.
    expect(convs[0].lastInboundAt).toBeGreaterThan(0);
  });

  it('a number configured to call the webhook with GET works the same (parameters signed in the URL)', async () => {
    await connect();
    sandbox.setWebhook(acct.accountSid, BUSINESS, webhookUrl, 'GET');
    const r = await text('Sent by GET: ünïcode & more');
    expect(r.status).toBe(200);
    await t.drainJobs();
    const [conv] = await conversations();
    expect((await messagesOf(conv.id)).map((m: { text: string }) => m.text)).toEqual([
      'Sent by GET: ünïcode & more',
    ]);
  });

  it('a reply goes out through Messages.json; status callbacks move the ticks, never backwards', async () => {
    await connect();
    await text('Do you have size M?');
    await t.drainJobs();
    const [conv] = await conversations();
    sandbox.outOfOrderStatuses = true; // "delivered" arrives before "sent"
    const r = await reply(conv.id, 'Yes, we do!', 'r-1');
    expect(r.statusCode).toBe(202);
    await settle();
    const [sent] = sandbox.sentTo(acct.accountSid, MARIA);
    expect(sent).toMatchObject({ from: BUSINESS, body: 'Yes, we do!', direction: 'outbound-api' });
    expect(sent!.statusCallback).toBe(webhookUrl);
    const m = await messageById(conv.id, r.json().id);
    expect(m.providerMessageId).toBe(sent!.sid);
    expect(m.deliveryStatus).toBe('delivered');

    // A number its carrier cannot reach: "undelivered" with ErrorCode 30003.
    sandbox.markUnreachable(acct.accountSid, MARIA);
    const r2 = await reply(conv.id, 'Are you there?', 'r-2');
    await settle();
    expect((await messageById(conv.id, r2.json().id)).error).toMatchObject({ code: 'invalid_recipient' });
  });

  it('long texts are split at 1600 characters; a Messaging Service sends as the service', async () => {
    const service = sandbox.addMessagingService(acct.accountSid, [BUSINESS]);
    await connect({ fromNumber: undefined, messagingServiceSid: service });
    await text('Tell me everything');
    await t.drainJobs();
    const [conv] = await conversations();
    const long = `${'word '.repeat(400)}end`;
    await reply(conv.id, long, 'r-long');
    await settle();
    const sent = sandbox.sentTo(acct.accountSid, MARIA);
    expect(sent).toHaveLength(2);
    expect(sent.every((s) => s.messagingServiceSid === service)).toBe(true);
    expect(sent[0]!.body.length).toBeLessThanOrEqual(1600);
    expect(sent.map((s) => s.body).join('')).toBe(long);
  });

  it('MMS media is fetched with Basic auth through the redirect, stored and served', async () => {
    await connect();
    await sandbox.customerTexts(acct.accountSid, {
      from: MARIA,
      to: BUSINESS,
      body: 'the broken part',
      media: [{ bytes: PNG, contentType: 'image/png' }],
    });
    await t.drainJobs();
    const [conv] = await conversations();
    const [m] = await messagesOf(conv.id);
    expect(m).toMatchObject({ contentKind: 'image', text: 'the broken part' });
    const att = m.attachments[0];
    const res = await as(t.admin, 'GET', att.url);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(PNG);
    const row = await t.ctx.db.kysely
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', att.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mime_type: 'image/png', download_status: 'stored' });
    expect(row.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
  });

  // Retries (20429 at its Retry-After, 5xx) are proven for every channel by the adapter contract suite.
  it('a final error keeps Twilio’s code in our wording, never Twilio’s text', async () => {
    await connect();
    await text('Hello');
    await t.drainJobs();
    const [conv] = await conversations();
    sandbox.failNext(acct.accountSid, {
      httpStatus: 400,
      code: 21211,
      message: "The 'To' number +1555 is not a valid phone number.",
    });
    const bad = await reply(conv.id, 'Nope', 'r-bad');
    await t.drainJobs();
    expect((await messageById(conv.id, bad.json().id)).error).toMatchObject({
      code: 'invalid_recipient',
      // Twilio's code with our wording; Twilio's own text ("not a valid phone number") is not stored.
      message: 'This number cannot receive text messages (error 21211)',
    });
  });

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
    expect(sandbox.isOptedOut(acct.accountSid, BUSINESS, MARIA)).toBe(true);
    await settle();
    await sendJob.set({ run_at: 0 }).execute();
    await settle();
    const msgs = await messagesOf(conv.id);
    const before = msgs.find((m: { id: string }) => m.id === queued.json().id);
    expect(before).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'opted_out', message: expect.stringMatching(/^The customer opted out of messages/) },
    });
    expect(sandbox.sentTo(acct.accountSid, MARIA).filter((m) => m.direction === 'outbound-api')).toEqual([]);
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
    expect(sandbox.isOptedOut(acct.accountSid, BUSINESS, MARIA)).toBe(false);
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
    expect(sandbox.sentTo(acct.accountSid, MARIA).map((s) => s.body)).toContain('Welcome back');
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
    sandbox.failNext(acct.accountSid, {
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
    const sends = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('type', '=', 'message.send')
      .execute();
    expect(sends).toHaveLength(1);
  });

  it('21610 in a status callback (Twilio accepted the send) opts the contact out once, like a refused send', async () => {
    await connect();
    await text('Hi');
    await t.drainJobs();
    const [conv] = await conversations();
    const earlier = await reply(conv.id, 'Welcome!', 'r-0');
    await settle();
    sandbox.markOptedOutLater(acct.accountSid, MARIA);
    const r = await reply(conv.id, 'Deal of the day', 'r-1');
    expect(r.statusCode).toBe(202);
    await settle();
    const sent = sandbox.sentTo(acct.accountSid, MARIA);
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
      fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilio(acct.authToken, webhookUrl, params),
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
    await as(t.admin, 'PUT', `/api/v1/channels/${channelId}/routing`, {
      automaticMessages: { greeting: { enabled: true } },
    });
    await as(t.admin, 'PATCH', '/api/v1/me', { availability: 'online' });
    await text('STOP', '+15550002222');
    await text('Hello', '+15550003333');
    await settle();
    const log = (await as(t.admin, 'GET', '/api/v1/refused-sends')).json();
    expect(log.items).toEqual([expect.objectContaining({ path: 'automatic', reason: 'opted_out' })]);
    expect(
      sandbox.sentTo(acct.accountSid, '+15550002222').filter((m) => m.direction === 'outbound-api'),
    ).toEqual([]);
    expect(
      sandbox.sentTo(acct.accountSid, '+15550003333').filter((m) => m.direction === 'outbound-api'),
    ).toHaveLength(1);
  });
});
