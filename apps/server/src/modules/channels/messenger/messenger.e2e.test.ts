import { beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { MetaSandbox } from '../../../sandbox/meta-sandbox.ts';
import { adminInbox, uploadPng } from '../channel-e2e-kit.ts';

const dialects = await testDialects();
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('sandbox png'),
]);

describe.each(dialects)('Messenger through the Meta sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new MetaSandbox());
  let page: ReturnType<MetaSandbox['createPage']>;
  let psid: string;

  beforeEach(async () => {
    sandbox.resetClock();
    page = sandbox.createPage({ name: 'Acme Page', humanAgent: true });
    psid = sandbox.newCustomerId();
  });

  const { as } = t;
  const connect = async (extra: Record<string, unknown> = {}) => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'messenger',
      name: 'Messenger',
      settings: {
        pageId: page.pageId,
        pageAccessToken: page.pageAccessToken,
        appSecret: page.appSecret,
        apiBaseUrl: sandbox.url,
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { webhookUrl, verifyToken } = res.json().connection;
    expect(await sandbox.subscribe(page.pageId, webhookUrl, verifyToken)).toBe(true);
    return res.json();
  };
  const { conversations, messagesOf, reply } = adminInbox(t);
  const settle = () => settleWith(sandbox, t);

  it('connecting checks the Page token, subscribes the Page and shows the webhook URL and verify token', async () => {
    const wrong = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'messenger',
      name: 'x',
      settings: {
        pageId: page.pageId,
        pageAccessToken: 'EAAB-not-a-token',
        appSecret: page.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toMatch(/^settings\.pageAccessToken/);
    const other = sandbox.createPage();
    const mismatch = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'messenger',
      name: 'x',
      settings: {
        pageId: page.pageId,
        pageAccessToken: other.pageAccessToken,
        appSecret: page.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(mismatch.json().error.message).toMatch(/not of Page/);
    const ch = await connect({ verifyToken: 'my own verify token' });
    expect(ch.settings).toMatchObject({ pageId: page.pageId, pageName: 'Acme Page', humanAgentTag: false });
    expect(ch.connection).toMatchObject({
      webhookUrl: `${t.base}/webhooks/messenger/${ch.id}`,
      verifyToken: 'my own verify token',
    });
    expect(JSON.stringify(ch)).not.toContain(page.pageAccessToken);
    expect(JSON.stringify(ch)).not.toContain(page.appSecret);
    expect(sandbox.subscribedFields(page.pageId)).toEqual(
      expect.arrayContaining([
        'messages',
        'message_echoes',
        'message_deliveries',
        'message_reads',
        'message_edits',
        'message_reactions',
      ]),
    );
    expect(await sandbox.subscribe(page.pageId, ch.connection.webhookUrl, 'a wrong verify token')).toBe(
      false,
    );
  });

  it('customer → console → reply → customer, with delivery and read receipts by watermark', async () => {
    await connect();
    const first = await sandbox.customerSends(page.pageId, {
      from: psid,
      name: 'Maria Silva',
      text: 'Do you ship to Lisbon?',
    });
    expect(first.status).toBe(200);
    await sandbox.customerSends(page.pageId, {
      from: psid,
      text: 'This one',
      attachments: [{ type: 'image', bytes: PNG, mimeType: 'image/png' }],
      replyTo: first.mid,
    });
    await settle();
    const [conv] = await conversations();
    // The webhook carries only the PSID: the name comes from the User Profile API, once.
    expect(conv).toMatchObject({ channel: { type: 'messenger' }, contact: { name: 'Maria Silva' } });
    const inbound = await messagesOf(conv.id);
    expect(inbound.map((m: { text: string }) => m.text)).toEqual(['Do you ship to Lisbon?', 'This one']);
    expect(inbound[1].meta.replyTo).toBe(first.mid);
    // Messenger's CDN links expire: the picture was downloaded into Switchboard's storage.
    expect(inbound[1].attachments[0]).toMatchObject({
      kind: 'image',
      url: `/api/v1/attachments/${inbound[1].attachments[0].id}`,
    });

    const long = `${'Yes, we ship to Lisbon. '.repeat(90)}Delivery takes 3 days.`;
    const id = await reply(conv.id, long, 'fb-1');
    await settle();
    const sent = sandbox.sent(page.pageId, psid);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body).toMatchObject({ recipient: { id: psid }, messaging_type: 'RESPONSE' });
    const parts = sent.map((s) => (s.body.message as { text: string }).text);
    expect(parts.join('')).toBe(long);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    let mine = (await messagesOf(conv.id)).find((m: { id: string }) => m.id === id);
    expect(mine.providerMessageId).toBe(sent[0]!.mid);
    expect(mine.deliveryStatus).toBe('delivered');
    // The echoes of our own two parts are not shown again.
    expect(await messagesOf(conv.id)).toHaveLength(3);

    await sandbox.customerReads(page.pageId, psid);
    await settle();
    mine = (await messagesOf(conv.id)).find((m: { id: string }) => m.id === id);
    expect(mine.deliveryStatus).toBe('read');
    expect(
      sandbox
        .history(page.pageId, psid)
        .filter((l) => l.from === 'business')
        .every((l) => l.status === 'read'),
    ).toBe(true);
  });

  it('an operator’s file is uploaded through the Attachment Upload API and sent by attachment_id', async () => {
    await connect();
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Send me the picture' });
    await settle();
    const [conv] = await conversations();
    const uploadId = await uploadPng(t, PNG);
    const r = await as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Here it is',
      clientMessageId: 'fb-file',
      attachments: [{ uploadId }],
    });
    expect(r.statusCode, r.body).toBe(202);
    await settle();
    const [file, text] = sandbox.sent(page.pageId, psid);
    expect(file!.body.message).toMatchObject({
      attachment: { type: 'image', payload: { attachment_id: expect.any(String) } },
    });
    expect(text!.body.message).toMatchObject({ text: 'Here it is' });
  });

  it('quick replies, postbacks, edits, reactions and a sticker', async () => {
    await connect();
    const m = await sandbox.customerSends(page.pageId, {
      from: psid,
      text: 'Red',
      quickReplyPayload: 'COLOR_RED',
    });
    await sandbox.customerPostback(page.pageId, psid, 'Talk to a human', 'HUMAN');
    await sandbox.customerEdits(page.pageId, psid, m.mid, 'Blue');
    await sandbox.customerReacts(page.pageId, psid, m.mid, '\u2764\uFE0F');
    await sandbox.customerSends(page.pageId, { from: psid, sticker: true });
    await settle();
    const [conv] = await conversations();
    // This customer keeps their profile private: Meta gives no name, the contact stays unnamed.
    expect(conv.contact.name).toBeNull();
    const msgs = await messagesOf(conv.id);
    expect(msgs[0]).toMatchObject({
      text: 'Blue',
      meta: { quickReply: { payload: 'COLOR_RED' }, edits: [{ text: 'Red' }] },
    });
    expect(msgs[1]).toMatchObject({ text: 'Talk to a human', meta: { postback: { payload: 'HUMAN' } } });
    expect(msgs[2]).toMatchObject({ text: 'Reacted \u2764\uFE0F', meta: { reaction: { messageId: m.mid } } });
    expect(msgs[3]).toMatchObject({ contentKind: 'image', meta: { sticker: { id: '369239263222822' } } });
    expect(msgs[3].attachments).toHaveLength(1);
    // A redelivered webhook stores nothing twice.
    expect(msgs).toHaveLength(4);
  });

  it('a message typed in the Page inbox appears as an outbound message by "Page inbox"', async () => {
    await connect();
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Hello?' });
    await settle();
    expect(await sandbox.pageInboxSends(page.pageId, psid, 'Answered from Business Suite')).toBe(200);
    await settle();
    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs[1]).toMatchObject({
      direction: 'out',
      text: 'Answered from Business Suite',
      deliveryStatus: 'sent',
      meta: { sentOutside: { by: 'Page inbox' } },
    });
  });

  it('after 24 hours the Page refuses with 10/2018278 → window_closed; 551 is final; 613 is retried', async () => {
    await connect();
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Thanks' });
    await settle();
    const [conv] = await conversations();

    sandbox.failNext(page.pageId, {
      code: 551,
      subcode: 1545041,
      message: "(#551) This person isn't available right now.",
    });
    const unavailable = await reply(conv.id, 'Still there?', 'fb-551');
    await settle();
    let m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === unavailable);
    expect(m).toMatchObject({ deliveryStatus: 'failed', error: { code: 'customer_unavailable' } });

    sandbox.failNext(page.pageId, {
      code: 613,
      message: 'Calls to this api have exceeded the rate limit.',
      retryAfterSeconds: 1,
    });
    const limited = await reply(conv.id, 'Retry me', 'fb-613');
    await t.drainJobs();
    m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === limited);
    expect(m.deliveryStatus).toBe('queued');
    await new Promise((r) => setTimeout(r, 1100));
    await settle();
    m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === limited);
    expect(['sent', 'delivered']).toContain(m.deliveryStatus);

    sandbox.advance(25 * 3600_000);
    const late = await reply(conv.id, 'How was it?', 'fb-late');
    await settle();
    m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === late);
    expect(m).toMatchObject({ deliveryStatus: 'failed', error: { code: 'window_closed' } });
  });

  it('health: "webhook not verified yet" until Meta’s handshake; 190 marks the token invalid until a send succeeds', async () => {
    const created = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'messenger',
      name: 'Messenger',
      settings: {
        pageId: page.pageId,
        pageAccessToken: page.pageAccessToken,
        appSecret: page.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    const id = created.json().id;
    expect(created.json().health).toEqual({ webhookSeenAt: null, issue: null, detail: null, since: null });
    const { webhookUrl, verifyToken } = created.json().connection;
    // A failed handshake proves nothing.
    expect(await sandbox.subscribe(page.pageId, webhookUrl, 'not the verify token')).toBe(false);
    expect((await as(t.admin, 'GET', `/api/v1/channels/${id}`)).json().health.webhookSeenAt).toBeNull();
    expect(await sandbox.subscribe(page.pageId, webhookUrl, verifyToken)).toBe(true);
    expect((await as(t.admin, 'GET', `/api/v1/channels/${id}`)).json().health.webhookSeenAt).toEqual(
      expect.any(Number),
    );
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Hi' });
    await settle();
    const [conv] = await conversations();

    sandbox.failNext(page.pageId, {
      httpStatus: 400,
      code: 190,
      subcode: 460,
      message:
        'Error validating access token: The session has been invalidated because the user changed their password.',
    });
    const failed = await reply(conv.id, 'Hello', 'fb-190');
    await settle();
    const m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === failed);
    expect(m).toMatchObject({ deliveryStatus: 'failed', error: { code: 'invalid_token' } });
    const sick = (await as(t.admin, 'GET', `/api/v1/channels/${id}`)).json().health;
    expect(sick).toMatchObject({
      issue: 'token_invalid',
      // Our reason with Meta's codes; Meta's own text is never stored where admins and operators see it.
      detail: expect.stringContaining("does not accept the channel's access token (error 190/460)"),
      since: expect.any(Number),
    });

    // The token works again (the admin renewed it at Meta): the next successful send clears the state.
    await reply(conv.id, 'Hello again', 'fb-190-ok');
    await settle();
    expect((await as(t.admin, 'GET', `/api/v1/channels/${id}`)).json().health.issue).toBeNull();

    // Updating the token clears it as well.
    sandbox.failNext(page.pageId, { httpStatus: 401, code: 190, message: 'Invalid OAuth access token' });
    await reply(conv.id, 'Third', 'fb-190-2');
    await settle();
    expect((await as(t.admin, 'GET', `/api/v1/channels/${id}`)).json().health.issue).toBe('token_invalid');
    const patched = await as(t.admin, 'PATCH', `/api/v1/channels/${id}`, {
      settings: { pageId: page.pageId, pageAccessToken: page.pageAccessToken, apiBaseUrl: sandbox.url },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().health.issue).toBeNull();
  });

  it('HUMAN_AGENT: between 24 hours and 7 days an operator’s reply goes with the tag where enabled', async () => {
    const ch = await connect({ humanAgentTag: true });
    // The customer wrote 25 hours ago (by Meta's clock, which the window is measured from).
    sandbox.advance(-25 * 3600_000);
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Any news about my refund?' });
    sandbox.advance(25 * 3600_000);
    await settle();
    const [conv] = await conversations();
    const w = (await as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(w).toMatchObject({ open: false, reason: 'expired', tag: { name: 'HUMAN_AGENT' } });
    expect(w.tag.closesAt).toBe(w.lastInboundAt + 7 * 24 * 3600_000);

    const id = await reply(conv.id, 'Yes: it was sent today.', 'fb-ha');
    await settle();
    const [sent] = sandbox.sent(page.pageId, psid);
    expect(sent!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect((await messagesOf(conv.id)).find((m: { id: string }) => m.id === id).deliveryStatus).toBe(
      'delivered',
    );

    // Without the permission enabled on the channel, the closed window stays closed.
    const off = await as(t.admin, 'PATCH', `/api/v1/channels/${ch.id}`, {
      settings: { pageId: page.pageId, humanAgentTag: false, apiBaseUrl: sandbox.url },
    });
    expect(off.statusCode, off.body).toBe(200);
    const refused = await as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'One more thing',
      clientMessageId: 'fb-ha-off',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('window_closed');
  });

  it('HUMAN_AGENT ends 7 days after the customer’s last message', async () => {
    await connect({ humanAgentTag: true });
    sandbox.advance(-8 * 24 * 3600_000);
    await sandbox.customerSends(page.pageId, { from: psid, text: 'Hello?' });
    sandbox.advance(8 * 24 * 3600_000);
    await settle();
    const [conv] = await conversations();
    const w = (await as(t.admin, 'GET', `/api/v1/conversations/${conv.id}/window`)).json();
    expect(w).toMatchObject({ open: false, tag: null });
    const refused = await as(t.admin, 'POST', `/api/v1/conversations/${conv.id}/messages`, {
      text: 'Sorry for the delay',
      clientMessageId: 'fb-ha-late',
    });
    expect(refused.statusCode).toBe(422);
    expect(sandbox.sent(page.pageId, psid)).toHaveLength(0);
  });
});
