import { beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../../../test/test-db.ts';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { MetaSandbox } from '../../../sandbox/meta-sandbox.ts';
import { adminInbox } from '../channel-e2e-kit.ts';

const dialects = await testDialects();
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

describe.each(dialects)('Instagram through the Meta sandbox (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new MetaSandbox());
  let account: ReturnType<MetaSandbox['createInstagramAccount']>;
  let igsid: string;

  beforeEach(async () => {
    sandbox.resetClock();
    account = sandbox.createInstagramAccount({ username: 'acme.shop' });
    igsid = sandbox.newCustomerId();
  });

  const { as } = t;
  const connect = async () => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'instagram',
      name: 'Instagram',
      settings: {
        instagramAccountId: account.instagramAccountId,
        accessToken: account.accessToken,
        appSecret: account.appSecret,
        apiBaseUrl: sandbox.url,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { webhookUrl, verifyToken } = res.json().connection;
    expect(webhookUrl).toBe(`${t.base}/webhooks/instagram/${res.json().id}`);
    expect(await sandbox.subscribe(account.instagramAccountId, webhookUrl, verifyToken)).toBe(true);
    return res.json();
  };
  const { conversations, messagesOf, reply } = adminInbox(t);
  const settle = () => settleWith(sandbox, t);

  it('connecting checks the token belongs to the account and shows its username', async () => {
    const ch = await connect();
    expect(ch.settings).toMatchObject({
      instagramAccountId: account.instagramAccountId,
      username: 'acme.shop',
    });
    expect(sandbox.subscribedFields(account.instagramAccountId)).toEqual(
      expect.arrayContaining(['messages', 'messaging_seen', 'message_reactions']),
    );
  });

  it('customer → console → reply → customer; the read receipt names the message', async () => {
    await connect();
    await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      name: 'Анна',
      text: 'Привет! Есть в наличии?',
    });
    await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      attachments: [{ type: 'image', bytes: JPEG, mimeType: 'image/jpeg' }],
    });
    await settle();
    const [conv] = await conversations();
    expect(conv.channel.type).toBe('instagram');
    expect(conv.contact.name).toBe('Анна');
    const inbound = await messagesOf(conv.id);
    expect(inbound[0].text).toBe('Привет! Есть в наличии?');
    // Instagram's media stay links to Meta's CDN (never stored); the console loads them through our
    // origin, fetched on the fly through the SSRF guard.
    const photo = inbound[1].attachments[0];
    expect(photo).toMatchObject({ kind: 'image', url: `/api/v1/attachments/${photo.id}` });
    const stored = await t.ctx.db.kysely
      .selectFrom('attachments')
      .select(['storage_key', 'source_url'])
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(stored.storage_key).toBeNull();
    expect(stored.source_url).toContain(`${sandbox.url}/cdn/`);
    const served = await as(t.admin, 'GET', photo.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.equals(JPEG)).toBe(true);

    // 1,000 bytes a message: Cyrillic and emoji count double and quadruple.
    const long = `${'Да, есть 🙂 '.repeat(120)}Ждём вас!`;
    const id = await reply(conv.id, long, 'ig-1');
    await settle();
    const sent = sandbox.sent(account.instagramAccountId, igsid);
    expect(sent.length).toBeGreaterThan(1);
    const parts = sent.map((s) => (s.body.message as { text: string }).text);
    expect(parts.join('')).toBe(long);
    expect(parts.every((p) => Buffer.byteLength(p) <= 1000)).toBe(true);
    // Instagram echoes our sends without any marker: matched by their ids, never shown twice.
    let msgs = await messagesOf(conv.id);
    expect(msgs).toHaveLength(3);
    expect(msgs[2]).toMatchObject({ id, deliveryStatus: 'sent', providerMessageId: sent[0]!.mid });

    await sandbox.customerReads(account.instagramAccountId, igsid);
    await settle();
    msgs = await messagesOf(conv.id);
    expect(msgs[2].deliveryStatus).toBe('read');
  });

  it('story replies and mentions, shares, reels, reactions and unsend', async () => {
    await connect();
    const reply1 = await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      text: 'Love this!',
      storyReply: { id: '18000000000000001', url: 'https://lookaside.fbsbx.com/story/1.jpg' },
    });
    await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      storyMention: 'https://lookaside.fbsbx.com/story/2.jpg',
    });
    await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      share: { type: 'ig_reel', url: 'https://www.instagram.com/reel/xyz/', title: 'Unboxing' },
    });
    await sandbox.customerReacts(account.instagramAccountId, igsid, reply1.mid, '\u2764\uFE0F');
    const secret = await sandbox.customerSends(account.instagramAccountId, {
      from: igsid,
      text: 'my address is …',
    });
    await settle();
    await sandbox.customerUnsends(account.instagramAccountId, igsid, secret.mid);
    await settle();
    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs.map((m: { text: string }) => m.text)).toEqual([
      'Love this!',
      'Mentioned you in their story https://lookaside.fbsbx.com/story/2.jpg',
      'Shared a reel: Unboxing https://www.instagram.com/reel/xyz/',
      'Reacted \u2764\uFE0F',
      'my address is …',
    ]);
    expect(msgs[0].meta.story).toEqual({
      kind: 'reply',
      id: '18000000000000001',
      url: 'https://lookaside.fbsbx.com/story/1.jpg',
    });
    // Unsent: marked deleted, the text kept for the record (as a WhatsApp revoke).
    expect(msgs[4].meta).toMatchObject({ deletedBy: 'contact', deletedAt: expect.any(Number) });
  });

  it('a message sent from the Instagram app is shown as sent outside Switchboard', async () => {
    await connect();
    await sandbox.customerSends(account.instagramAccountId, { from: igsid, text: 'Hi' });
    await settle();
    await sandbox.pageInboxSends(account.instagramAccountId, igsid, 'Answered on the phone');
    await settle();
    const [conv] = await conversations();
    const msgs = await messagesOf(conv.id);
    expect(msgs[1]).toMatchObject({
      direction: 'out',
      text: 'Answered on the phone',
      meta: { sentOutside: { by: 'Instagram app' } },
    });
  });

  it('outside the window Instagram answers 2534022 → window_closed', async () => {
    await connect();
    await sandbox.customerSends(account.instagramAccountId, { from: igsid, text: 'Thanks' });
    await settle();
    const [conv] = await conversations();
    sandbox.advance(25 * 3600_000);
    const id = await reply(conv.id, 'Anything else?', 'ig-late');
    await settle();
    const m = (await messagesOf(conv.id)).find((x: { id: string }) => x.id === id);
    expect(m).toMatchObject({ deliveryStatus: 'failed', error: { code: 'window_closed' } });
  });
});
