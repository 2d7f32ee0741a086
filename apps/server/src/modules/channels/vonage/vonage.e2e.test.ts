import { beforeEach, describe, expect, it } from 'vitest';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { VonageSandbox } from '../../../sandbox/vonage-sandbox.ts';
import { signVonageWebhook } from './vonage-jwt.ts';
import { adminInbox } from '../channel-e2e-kit.ts';

const dialects = await testDialects();
const BUSINESS = '447700900000';
const MARIA = '447700900123';

describe.each(dialects)('Vonage SMS through the sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new VonageSandbox());
  let acct: { apiKey: string; apiSecret: string; signatureSecret: string };
  let channelId: string;

  beforeEach(async () => {
    acct = sandbox.createAccount(BUSINESS);
  });

  const { as, reply } = t;
  const connect = async () => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'vonage_sms',
      name: 'Acme SMS 2',
      settings: { ...acct, fromNumber: `+${BUSINESS}`, apiBaseUrl: sandbox.url },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    sandbox.setWebhooks(acct.apiKey, res.json().connection.webhookUrl);
    return res;
  };
  const settle = () => settleWith(sandbox, t);
  const text = (body: string) =>
    sandbox.customerTexts(acct.apiKey, { from: MARIA, to: BUSINESS, text: body });
  const { conversations, messagesOf } = adminInbox(t);
  const byId = async (convId: string, id: string) =>
    (await messagesOf(convId)).find((m: { id: string }) => m.id === id);

  it('its webhook is /webhooks/vonage/:channelId; secrets never come back', async () => {
    const res = await connect();
    expect(res.json().connection.webhookUrl).toBe(`${t.base}/webhooks/vonage/${channelId}`);
    expect(res.json().settings).toMatchObject({ apiKey: acct.apiKey, fromNumber: BUSINESS });
    expect(res.body).not.toContain(acct.apiSecret);
    expect(res.body).not.toContain(acct.signatureSecret);
    const missing = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'vonage_sms',
      name: 'x',
      settings: { apiKey: acct.apiKey, apiSecret: acct.apiSecret, fromNumber: BUSINESS },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/signatureSecret/);
  });

  it('customer → console → reply → customer, with submitted and delivered as ticks', async () => {
    await connect();
    expect(await text('Where is my parcel?')).toBe(200);
    await settle();
    const [conv] = await conversations();
    expect(conv).toMatchObject({ channel: { type: 'vonage_sms' } });
    const [m] = await messagesOf(conv.id);
    expect(m).toMatchObject({ direction: 'in', text: 'Where is my parcel?' });
    const sent = await reply(conv.id, 'It left the warehouse today', 'vn-1');
    expect(sent.statusCode, sent.body).toBe(202);
    await settle();
    const [out] = sandbox.sentTo(acct.apiKey, MARIA);
    expect(out).toMatchObject({
      text: 'It left the warehouse today',
      fromNumber: BUSINESS,
      status: 'delivered',
    });
    expect(await byId(conv.id, sent.json().id)).toMatchObject({
      providerMessageId: out!.uuid,
      deliveryStatus: 'delivered',
    });
  });

  it('STOP and СТОП opt the customer out of every SMS path through the shared keyword engine; START opts in', async () => {
    await connect();
    await text('hello');
    await settle();
    const [conv] = await conversations();
    // A reply queued before the STOP is processed must not go out either.
    const queued = await reply(conv.id, 'Here is our offer', 'vn-before');
    const sendJob = t.ctx.db.kysely.updateTable('jobs').where('type', '=', 'message.send');
    await sendJob.set({ run_at: Date.now() + 3_600_000 }).execute();
    await text('  stop ');
    await settle();
    await sendJob.set({ run_at: 0 }).execute();
    await settle();
    expect((await byId(conv.id, queued.json().id)).error.code).toBe('opted_out');
    const msgs = await messagesOf(conv.id);
    const note = msgs.find((x: { meta?: { event?: string } }) => x.meta?.event === 'consent');
    expect(note).toMatchObject({ meta: { action: 'opt_out', scope: 'sms', via: 'keyword' } });
    const refused = await reply(conv.id, 'Are you sure?', 'vn-after');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('opted_out');
    expect(sandbox.sentTo(acct.apiKey, MARIA)).toEqual([]);

    await text('СТАРТ');
    await settle();
    expect((await reply(conv.id, 'Welcome back', 'vn-back')).statusCode).toBe(202);
    await settle();
    await text('СТОП');
    await settle();
    const consent = (await as(t.admin, 'GET', `/api/v1/contacts/${conv.contact.id}/consent`)).json().items;
    expect(consent).toEqual([
      expect.objectContaining({ scope: 'sms', status: 'opted_out', optOutSource: 'СТОП' }),
    ]);
    expect(sandbox.sentTo(acct.apiKey, MARIA).map((l) => l.text)).toEqual(['Welcome back']);
  });

  it('undeliverable and rejected are final failures carrying the error title', async () => {
    await connect();
    await text('hi');
    await settle();
    const [conv] = await conversations();
    sandbox.markUnreachable(acct.apiKey, MARIA);
    const a = await reply(conv.id, 'first', 'vn-u');
    await settle();
    expect(await byId(conv.id, a.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'not_delivered', message: expect.stringContaining('Absent Subscriber') },
    });
    sandbox.markBarred(acct.apiKey, MARIA);
    const b = await reply(conv.id, 'second', 'vn-r');
    await settle();
    expect(await byId(conv.id, b.json().id)).toMatchObject({
      deliveryStatus: 'failed',
      error: { code: 'rejected', message: expect.stringContaining('Unroutable') },
    });
  });

  it('a 401 from Vonage marks the channel for its admin', async () => {
    await connect();
    await text('hi');
    await settle();
    const [conv] = await conversations();
    sandbox.failNext(acct.apiKey, {
      status: 401,
      title: 'Unauthorized',
      detail: 'You did not provide correct credentials.',
    });
    const r = await reply(conv.id, 'x', 'vn-401');
    await settle();
    expect((await byId(conv.id, r.json().id)).error.code).toBe('invalid_token');
    expect((await as(t.admin, 'GET', `/api/v1/channels/${channelId}`)).json().health.issue).toBe(
      'token_invalid',
    );
  });

  it('refuses unsigned webhooks and ones whose payload_hash does not match, storing nothing', async () => {
    await connect();
    const body = JSON.stringify({
      channel: 'sms',
      message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000001',
      to: BUSINESS,
      from: MARIA,
      text: 'hi',
      message_type: 'text',
      timestamp: new Date().toISOString(),
    });
    const post = (headers: Record<string, string>, payload = body) =>
      t.app.inject({
        method: 'POST',
        url: `/webhooks/vonage/${channelId}`,
        payload,
        headers: { 'content-type': 'application/json', ...headers },
      });
    expect((await post({})).statusCode).toBe(401);
    const other = signVonageWebhook(acct.signatureSecret, body.replace('hi', 'ho'));
    expect((await post({ authorization: `Bearer ${other}` })).statusCode).toBe(401);
    const wrongKey = signVonageWebhook('not-the-secret', body);
    expect((await post({ authorization: `Bearer ${wrongKey}` })).statusCode).toBe(401);
    expect(await t.count('inbound_events')).toBe(0);
    const good = signVonageWebhook(acct.signatureSecret, body);
    expect((await post({ authorization: `Bearer ${good}` })).statusCode).toBe(200);
    expect(await t.count('inbound_events')).toBe(1);
  });
});
