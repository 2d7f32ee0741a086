import { beforeEach, describe, expect, it } from 'vitest';
import { useCallbackServer } from '../../../test/fake-callback-server.ts';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';

const dialects = await testDialects();

describe.each(dialects)('Retrying a failed reply (%s)', (dialect) => {
  const t = useTestApp(dialect);
  const callback = useCallbackServer();
  let convId: string;

  beforeEach(async () => {
    const ch = (
      await t.as(t.admin, 'POST', '/api/v1/channels', {
        type: 'api',
        name: 'Shop',
        settings: { callbackUrl: callback.url },
      })
    ).json();
    const raw = JSON.stringify({
      eventId: 'e1',
      contact: { externalId: 'c1' },
      message: { externalId: 'm1', text: 'hi' },
    });
    await t.apiWebhook({ id: ch.id, secret: ch.connection.secret }, raw);
    await t.drainJobs();
    convId = (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0].id;
    callback.received.length = 0;
    callback.script.length = 0;
  });

  it('re-queues a failed reply once and delivers it; refuses anything else', async () => {
    callback.script.push({ status: 403, body: '{"error":"customer blocked"}' });
    const sent = (
      await t.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
        text: 'hello',
        clientMessageId: 'a',
      })
    ).json();
    await t.drainJobs();
    const failed = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`))
      .json()
      .items.at(-1);
    expect(failed).toMatchObject({ id: sent.id, deliveryStatus: 'failed' });

    const [r1, r2] = await Promise.all([
      t.as(t.admin, 'POST', `/api/v1/messages/${sent.id}/retry`),
      t.as(t.admin, 'POST', `/api/v1/messages/${sent.id}/retry`),
    ]);
    // A double click: one of them re-queues; the other answers 409 or the same queued message.
    const codes = [r1!.statusCode, r2!.statusCode];
    expect(codes).toContain(202);
    for (const c of codes) expect([202, 409]).toContain(c);
    await t.drainJobs();
    expect(callback.received).toHaveLength(2);
    const after = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`))
      .json()
      .items.at(-1);
    expect(after).toMatchObject({ id: sent.id, deliveryStatus: 'sent', error: null });

    const again = await t.as(t.admin, 'POST', `/api/v1/messages/${sent.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    const incoming = (await t.as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items[0];
    expect((await t.as(t.admin, 'POST', `/api/v1/messages/${incoming.id}/retry`)).statusCode).toBe(409);
    expect((await t.as(t.admin, 'POST', '/api/v1/messages/nope/retry')).statusCode).toBe(404);
  });
});
