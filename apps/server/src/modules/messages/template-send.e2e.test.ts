import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../test/use-sandbox.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { connectWhatsApp, customerStarts } from '../channels/whatsapp/whatsapp-e2e-kit.ts';
import { testDialects } from '../../../test/test-db.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';

const dialects = await testDialects();
const CUSTOMER = '79990003344';

describe.each(dialects)('Template and quoted replies through WhatsApp (%s)', (dialect) => {
  const t = useTestApp(dialect, { listen: true, clock: () => Date.now() });
  const sandbox = useSandbox(new WhatsAppSandbox());
  let number: ReturnType<WhatsAppSandbox['createNumber']>;
  let convId: string;

  beforeEach(async () => {
    number = sandbox.createNumber({ displayPhoneNumber: '15550001111', verifiedName: 'Acme' });
    sandbox.addTemplate(number.phoneNumberId, { name: 'order_update', language: 'ru', bodyParameters: 1 });
    await connectWhatsApp(t, sandbox, number);
    convId = await customerStarts(t, sandbox, number, CUSTOMER, 'Где мой заказ?');
  });

  it('quotes the customer message it answers', async () => {
    const [incoming] = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
    const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
      text: 'Уже едет!',
      replyToMessageId: incoming.id,
      clientMessageId: 'q-1',
    });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json().meta).toEqual({ replyToMessageId: incoming.id });
    await t.drainJobs();
    const [sent] = sandbox.sent(number.phoneNumberId, CUSTOMER);
    expect(sent?.body).toMatchObject({ context: { message_id: incoming.providerMessageId } });
    const bad = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
      text: 'x',
      replyToMessageId: 'not-a-message',
      clientMessageId: 'q-2',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('after 24 hours free text is refused with window_closed, an approved template still goes out', async () => {
    // The window runs from the provider's own timestamp (the sandbox's wall clock, whole seconds), which may
    // be seconds past this test's frozen clock on a loaded machine: step just past that close.
    const conv = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}`)).json();
    t.clock.set(conv.lastInboundAt + 24 * 3_600_000 + 1000);
    const text = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
      text: 'Как дела?',
      clientMessageId: 'w-1',
    });
    expect(text.statusCode).toBe(422);
    expect(text.json().error.code).toBe('window_closed');
    const tpl = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
      template: { name: 'order_update', language: 'ru', bodyParameters: ['A-1001'] },
      clientMessageId: 'w-2',
    });
    expect(tpl.statusCode, tpl.body).toBe(202);
    expect(tpl.json()).toMatchObject({
      contentKind: 'template',
      meta: { template: { name: 'order_update' } },
    });
    await t.drainJobs();
    const sent = sandbox.sent(number.phoneNumberId, CUSTOMER);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'ru' } },
    });
    const after = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
    expect(after.at(-1)).toMatchObject({ contentKind: 'template' });
    // The sandbox reports receipts as WhatsApp does, so it may already be further along than sent.
    expect(['sent', 'delivered', 'read']).toContain(after.at(-1).deliveryStatus);
  });

  it('refuses a body with both text and template, or neither', async () => {
    for (const payload of [
      { text: 'a', template: { name: 'order_update', language: 'ru' }, clientMessageId: 'x1' },
      { clientMessageId: 'x2' },
      { template: { name: 'order_update', language: 'ru' }, private: true, clientMessageId: 'x3' },
    ]) {
      const r = await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.code).toBe('validation_error');
    }
  });
});
