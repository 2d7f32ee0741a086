import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { signTwilio } from '../../../sandbox/twilio-sandbox.ts';
import { BUSINESS, MARIA, useTwilio } from './twilio-e2e-kit.ts';

const dialects = await testDialects();

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('mms png'),
]);

describe.each(dialects)('Twilio SMS through the sandbox (%s)', (dialect) => {
  const tw = useTwilio(dialect);
  const { t, sandbox, as, reply, connect, text, count, conversations, messagesOf, messageById, settle } = tw;

  it('creation checks the credentials and the number; secrets never come back', async () => {
    const bad = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'x',
      settings: {
        accountSid: tw.acct.accountSid,
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
      settings: { ...tw.acct, fromNumber: '+15559990000', apiBaseUrl: sandbox.url },
    });
    expect(notOurs.statusCode).toBe(400);
    expect(notOurs.json().error.message).toMatch(/^settings\.fromNumber: \+15559990000 is not/);
    const both = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'x',
      settings: { ...tw.acct, apiBaseUrl: sandbox.url },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toMatch(/exactly one of fromNumber and messagingServiceSid/);
    expect(await count('channels')).toBe(0);

    const res = await connect();
    expect(res.json().settings).toMatchObject({
      accountSid: tw.acct.accountSid,
      fromNumber: BUSINESS,
      accountName: 'Acme SMS',
      keywordReplies: 'twilio',
    });
    expect(res.body).not.toContain(tw.acct.authToken);
    expect(res.json().connection).toMatchObject({
      webhookUrl: `${t.base}/webhooks/twilio_sms/${tw.channelId}`,
      signatureHeader: 'X-Twilio-Signature',
    });
    // An update without the token keeps the stored one.
    const upd = await as(t.admin, 'PATCH', `/api/v1/channels/${tw.channelId}`, {
      settings: { accountSid: tw.acct.accountSid, fromNumber: BUSINESS, apiBaseUrl: sandbox.url },
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
      ['AccountSid', tw.acct.accountSid],
      ['From', MARIA],
      ['To', BUSINESS],
      ['Body', 'forged'],
      ['NumMedia', '0'],
    ];
    const post = (signature: string, url = tw.webhookUrl) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
    const forged = await post(signTwilio('0'.repeat(32), tw.webhookUrl, params));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    // Signed for another URL (a query string added on the way): refused too.
    const moved = await post(signTwilio(tw.acct.authToken, tw.webhookUrl, params), `${tw.webhookUrl}?x=1`);
    expect(moved.status).toBe(403);
    const unsigned = await fetch(tw.webhookUrl, { method: 'POST', body: 'Body=x' });
    expect(unsigned.status).toBe(403);
    // A correctly signed post of the same MessageSid twice: stored once.
    const good = signTwilio(tw.acct.authToken, tw.webhookUrl, params);
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
    sandbox.setWebhook(tw.acct.accountSid, BUSINESS, tw.webhookUrl, 'GET');
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
    const [sent] = sandbox.sentTo(tw.acct.accountSid, MARIA);
    expect(sent).toMatchObject({ from: BUSINESS, body: 'Yes, we do!', direction: 'outbound-api' });
    expect(sent!.statusCallback).toBe(tw.webhookUrl);
    const m = await messageById(conv.id, r.json().id);
    expect(m.providerMessageId).toBe(sent!.sid);
    expect(m.deliveryStatus).toBe('delivered');

    // A number its carrier cannot reach: "undelivered" with ErrorCode 30003.
    sandbox.markUnreachable(tw.acct.accountSid, MARIA);
    const r2 = await reply(conv.id, 'Are you there?', 'r-2');
    await settle();
    expect((await messageById(conv.id, r2.json().id)).error).toMatchObject({ code: 'invalid_recipient' });
  });

  it('long texts are split at 1600 characters; a Messaging Service sends as the service', async () => {
    const service = sandbox.addMessagingService(tw.acct.accountSid, [BUSINESS]);
    await connect({ fromNumber: undefined, messagingServiceSid: service });
    await text('Tell me everything');
    await t.drainJobs();
    const [conv] = await conversations();
    const long = `${'word '.repeat(400)}end`;
    await reply(conv.id, long, 'r-long');
    await settle();
    const sent = sandbox.sentTo(tw.acct.accountSid, MARIA);
    expect(sent).toHaveLength(2);
    expect(sent.every((s) => s.messagingServiceSid === service)).toBe(true);
    expect(sent[0]!.body.length).toBeLessThanOrEqual(1600);
    expect(sent.map((s) => s.body).join('')).toBe(long);
  });

  it('MMS media is fetched with Basic auth through the redirect, stored and served', async () => {
    await connect();
    await sandbox.customerTexts(tw.acct.accountSid, {
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
    sandbox.failNext(tw.acct.accountSid, {
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
});
