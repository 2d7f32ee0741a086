import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { connectWhatsApp, customerStarts } from './whatsapp-e2e-kit.ts';
import { testDialects } from '../../../../test/test-db.ts';
import { WhatsAppSandbox } from '../../../sandbox/whatsapp-sandbox.ts';
import { positionalParameters, toApprovedTemplate } from './whatsapp-templates.ts';

const dialects = await testDialects();
const CUSTOMER = '79990005566';

describe('Approved template parsing', () => {
  it('counts positional placeholders and refuses named ones', () => {
    expect(positionalParameters(null)).toBe(0);
    expect(positionalParameters('Hello')).toBe(0);
    expect(positionalParameters('Order {{1}} ships on {{2}}, {{1}}!')).toBe(2);
    expect(positionalParameters('Hi {{ 1 }}')).toBe(1);
    expect(positionalParameters('Hi {{first_name}}')).toBeNull();
  });

  it('keeps approved templates with their body and header needs, drops the rest', () => {
    const base = { name: 'order_update', language: 'en_US', category: 'UTILITY' };
    expect(
      toApprovedTemplate({
        ...base,
        status: 'APPROVED',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
          { type: 'BODY', text: 'Your order {{1}} arrives {{2}}.' },
          { type: 'FOOTER', text: 'Acme' },
        ],
      }),
    ).toEqual({
      ...base,
      body: 'Your order {{1}} arrives {{2}}.',
      bodyParameters: 2,
      headerParameters: 1,
    });
    expect(toApprovedTemplate({ ...base, status: 'PENDING', components: [] })).toBeUndefined();
    expect(
      toApprovedTemplate({
        ...base,
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Hi {{name}}' }],
      }),
    ).toBeUndefined();
    // An image header needs no text values.
    expect(
      toApprovedTemplate({
        ...base,
        status: 'APPROVED',
        components: [
          { type: 'HEADER', format: 'IMAGE' },
          { type: 'BODY', text: 'Hi' },
        ],
      }),
    ).toMatchObject({ headerParameters: 0, bodyParameters: 0 });
  });
});

describe.each(dialects)('Provider templates of a conversation (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new WhatsAppSandbox());
  let number: ReturnType<WhatsAppSandbox['createNumber']>;

  beforeEach(() => {
    number = sandbox.createNumber({ displayPhoneNumber: '15550002222', verifiedName: 'Acme' });
    sandbox.addTemplate(number.phoneNumberId, {
      name: 'order_update',
      language: 'ru',
      bodyParameters: 1,
      body: 'Заказ {{1}} в пути',
    });
    sandbox.addTemplate(number.phoneNumberId, {
      name: 'hello',
      language: 'en_US',
      bodyParameters: 0,
      body: 'Hi!',
    });
  });

  /** A WhatsApp channel on the sandbox number and one conversation on it; returns the conversation id. */
  async function conversation(settings: Record<string, unknown>): Promise<string> {
    await connectWhatsApp(t, sandbox, number, settings);
    return customerStarts(t, sandbox, number, CUSTOMER, 'Привет');
  }

  it("lists the business account's approved templates for a WhatsApp conversation", async () => {
    const convId = await conversation({ businessAccountId: number.wabaId });
    const res = await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/provider-templates`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      available: true,
      reason: 'ok',
      items: [
        {
          name: 'hello',
          language: 'en_US',
          category: 'UTILITY',
          body: 'Hi!',
          bodyParameters: 0,
          headerParameters: 0,
        },
        {
          name: 'order_update',
          language: 'ru',
          category: 'UTILITY',
          body: 'Заказ {{1}} в пути',
          bodyParameters: 1,
          headerParameters: 0,
        },
      ],
    });
    expect((await t.as(t.admin, 'GET', '/api/v1/conversations/nope/provider-templates')).statusCode).toBe(
      404,
    );
  });

  it('says why there is no list: no business account id, another channel type, WhatsApp refusing', async () => {
    const convId = await conversation({});
    const res = await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/provider-templates`);
    expect(res.json()).toEqual({ available: false, reason: 'no_business_account', items: [] });

    // A business account id the token does not own: WhatsApp answers 401, the console gets a clear 503.
    const channelId = (await t.as(t.admin, 'GET', '/api/v1/channels')).json().items[0].id;
    await t.ctx.db.kysely
      .updateTable('channels')
      .set({
        settings: JSON.stringify({
          phoneNumberId: number.phoneNumberId,
          businessAccountId: '1',
          apiBaseUrl: sandbox.url,
        }),
      })
      .where('id', '=', channelId)
      .execute();
    const refused = await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/provider-templates`);
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toMatchObject({ code: 'service_unavailable' });
    expect(refused.json().error.message).toMatch(/WhatsApp did not list the templates/);

    const api = await t.as(t.admin, 'POST', '/api/v1/channels', { type: 'api', name: 'Shop', settings: {} });
    const { signApiBody } = await import('../api/api-signature.ts');
    const raw = JSON.stringify({
      eventId: 'e-1',
      contact: { externalId: 'c-1', name: 'Ann' },
      message: { externalId: 'm-1', text: 'hi' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${api.json().id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(api.json().connection.secret, raw),
      },
      payload: raw,
    });
    await t.drainJobs();
    const apiConv = await t.ctx.db.kysely
      .selectFrom('conversations')
      .select('id')
      .where('channel_id', '=', api.json().id)
      .executeTakeFirstOrThrow();
    const none = await t.as(t.admin, 'GET', `/api/v1/conversations/${apiConv.id}/provider-templates`);
    expect(none.json()).toEqual({ available: false, reason: 'not_supported', items: [] });
  });
});
