import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../app-context.ts';
import { WhatsAppSandbox } from '../../../sandbox/whatsapp-sandbox.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage } from '../channel-adapter.ts';
import { whatsappAdapter } from './whatsapp.adapter.ts';
import { createGuardedFetch } from '../../../infra/net/guarded-fetch.ts';

// Only outbound HTTP of the context is used by the adapter.
// The fake provider listens on loopback: allowlisted as the test configuration does.
const http = { fetch: createGuardedFetch({ allow: ['127.0.0.1'] }) } as Pick<
  AppContext,
  'fetch'
> as AppContext;
const CUSTOMER = '79990001122';

let sandbox: WhatsAppSandbox;
let number: ReturnType<WhatsAppSandbox['createNumber']>;
let channel: ChannelRuntime;

beforeAll(async () => {
  sandbox = await new WhatsAppSandbox().start();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  number = sandbox.createNumber();
  channel = {
    id: 'ch-wa',
    accountId: 'acc',
    type: 'whatsapp',
    name: 'WhatsApp',
    settings: { phoneNumberId: number.phoneNumberId, apiBaseUrl: sandbox.url },
    credentials: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: 'vt-123456' },
  };
  // Not subscribed yet: the customer's message opens the 24-hour window without a webhook.
  await sandbox.customerSends(number.phoneNumberId, {
    from: CUSTOMER,
    name: 'Мария',
    content: { text: 'Здравствуйте' },
  });
});

const outbound = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'm-1',
  conversationId: 'c-1',
  text: 'Здравствуйте! Чем помочь?',
  createdAt: Date.now(),
  contactExternalId: CUSTOMER,
  attachments: [],
  ...over,
});

async function sendError(over: Partial<OutboundMessage> = {}, ch = channel): Promise<Error> {
  try {
    await whatsappAdapter.send(http, ch, outbound(over));
  } catch (err) {
    return err as Error;
  }
  throw new Error('send did not fail');
}

describe('WhatsApp sending', () => {
  it('sends text as the Cloud API expects and returns the wamid', async () => {
    const r = await whatsappAdapter.send(http, channel, outbound({ replyToProviderMessageId: 'wamid.IN' }));
    const [sent] = sandbox.sent(number.phoneNumberId);
    expect(r.providerMessageId).toBe(sent!.id);
    expect(sent!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      context: { message_id: 'wamid.IN' },
      type: 'text',
      text: { body: 'Здравствуйте! Чем помочь?', preview_url: false },
    });
  });

  it('sends media by link with caption and file name, and long text in parts', async () => {
    await whatsappAdapter.send(
      http,
      channel,
      outbound({
        text: 'Ваш счёт',
        attachments: [
          { name: 'invoice.pdf', mimeType: 'application/pdf', url: 'https://cdn.example.com/i.pdf' },
        ],
      }),
    );
    await whatsappAdapter.send(
      http,
      channel,
      outbound({
        text: null,
        attachments: [
          { name: 'n.ogg', mimeType: 'audio/ogg', url: 'https://cdn.example.com/n.ogg', kind: 'voice' },
        ],
      }),
    );
    await whatsappAdapter.send(
      http,
      channel,
      outbound({
        text: 'фото',
        attachments: [{ name: 'p.jpg', mimeType: 'image/jpeg', url: 'https://cdn.example.com/p.jpg' }],
      }),
    );
    await whatsappAdapter.send(http, channel, outbound({ text: 'x'.repeat(5000) }));
    const bodies = sandbox.sent(number.phoneNumberId).map((s) => s.body);
    expect(bodies[0]).toMatchObject({
      type: 'document',
      document: { link: 'https://cdn.example.com/i.pdf', caption: 'Ваш счёт', filename: 'invoice.pdf' },
    });
    expect(bodies[1]).toMatchObject({ type: 'audio', audio: { link: 'https://cdn.example.com/n.ogg' } });
    expect(bodies[2]).toMatchObject({
      type: 'image',
      image: { link: 'https://cdn.example.com/p.jpg', caption: 'фото' },
    });
    expect(bodies.slice(3).map((b) => (b.text as { body: string }).body.length)).toEqual([4096, 904]);
  });

  it('sends an approved template with body parameters', async () => {
    sandbox.addTemplate(number.phoneNumberId, { name: 'order_shipped', language: 'ru', bodyParameters: 2 });
    const r = await whatsappAdapter.send(
      http,
      channel,
      outbound({
        text: null,
        template: { name: 'order_shipped', language: 'ru', bodyParameters: ['Мария', '№ 1042'] },
      }),
    );
    const sent = sandbox.sent(number.phoneNumberId).at(-1)!;
    expect(r.providerMessageId).toBe(sent.id);
    expect(sent.body).toMatchObject({
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'ru' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Мария' },
              { type: 'text', text: '№ 1042' },
            ],
          },
        ],
      },
    });
    const wrong = await sendError({
      template: { name: 'order_shipped', language: 'ru', bodyParameters: ['one'] },
    });
    expect(wrong).toBeInstanceOf(PermanentError);
    expect((wrong as PermanentError).code).toBe('template_error');
    const missing = await sendError({ template: { name: 'nope', language: 'ru' } });
    expect((missing as PermanentError).code).toBe('template_error');
  });
});

describe('WhatsApp errors as job outcomes', () => {
  it('131047 is final with a clear window_closed reason', async () => {
    sandbox.failNext(number.phoneNumberId, {
      code: 131047,
      message: 'Re-engagement message',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
    const err = await sendError();
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('window_closed');
    expect(err.message).toMatch(/24 hours.*template/);
  });

  it.each([
    [130429, '(#130429) Rate limit hit', undefined],
    [131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', 6000],
    [80007, '(#80007) Rate limit issues', undefined],
  ])('rate limit %s is retried', async (code, message, after) => {
    sandbox.failNext(number.phoneNumberId, { code, message });
    const err = await sendError();
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(after);
  });

  it('honours Retry-After on a throttled answer and retries 5xx', async () => {
    sandbox.failNext(number.phoneNumberId, {
      code: 130429,
      message: 'Rate limit hit',
      httpStatus: 429,
      retryAfterSeconds: 12,
    });
    expect(((await sendError()) as RetryableError).retryAfterMs).toBe(12_000);
    sandbox.failNext(number.phoneNumberId, {
      code: 131000,
      message: 'Something went wrong',
      httpStatus: 500,
    });
    expect(await sendError()).toBeInstanceOf(RetryableError);
  });

  it('a bad or expired token (190 / 401) is final', async () => {
    const err = await sendError(
      {},
      { ...channel, credentials: { ...channel.credentials, accessToken: 'EAAGexpired' } },
    );
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('invalid_token');
    sandbox.failNext(number.phoneNumberId, {
      code: 190,
      message: 'Error validating access token: Session has expired',
      httpStatus: 400,
    });
    expect(((await sendError()) as PermanentError).code).toBe('invalid_token');
  });

  it('an invalid recipient is final', async () => {
    sandbox.failNext(number.phoneNumberId, { code: 131026, message: 'Message undeliverable' });
    expect(((await sendError()) as PermanentError).code).toBe('invalid_recipient');
    const bad = await sendError({ contactExternalId: 'not-a-number' });
    expect(bad).toBeInstanceOf(PermanentError);
    // Meta's code, our wording: the provider's text is not copied where operators see it.
    expect(bad.message).toMatch(/\(error \d+\)$/);
    expect(bad.message).not.toContain("Invalid 'to' parameter");
  });
});

describe('WhatsApp media and activation', () => {
  it('resolves a media id to its short-lived URL, fetched with the same bearer token', async () => {
    const pdf = Buffer.from('%PDF-1.7 sandbox');
    const sub = await sandbox.customerSends(number.phoneNumberId, {
      from: CUSTOMER,
      content: { document: pdf, filename: 'a.pdf' },
    });
    expect(sub.id).toMatch(/^wamid\./);
    const mediaId = (sub.message.document as { id: string }).id;
    const src = await whatsappAdapter.resolveMedia!(http, channel, mediaId);
    expect(src.size).toBe(pdf.length);
    expect(src.headers).toEqual({ authorization: `Bearer ${number.accessToken}` });
    const withToken = await fetch(src.url, { headers: src.headers });
    expect(Buffer.from(await withToken.arrayBuffer())).toEqual(pdf);
    expect((await fetch(src.url)).status).toBe(401);
    await expect(whatsappAdapter.resolveMedia!(http, channel, '123')).rejects.toBeInstanceOf(PermanentError);
  });

  it('activation checks the token and number and learns the display number', async () => {
    const ok = await whatsappAdapter.activate!(
      http,
      channel,
      'https://sb.example.com/webhooks/whatsapp/ch-wa',
    );
    expect(ok.settings).toEqual({ displayPhoneNumber: '15550001234', verifiedName: 'Sandbox Business' });
    await expect(
      whatsappAdapter.activate!(
        http,
        { ...channel, credentials: { ...channel.credentials, accessToken: 'bad' } },
        '',
      ),
    ).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^settings\.accessToken/),
    });
  });
});
