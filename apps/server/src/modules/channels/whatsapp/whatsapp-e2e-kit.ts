import { expect } from 'vitest';
import type { AppFixture } from '../../../../test/use-test-app.ts';
import type { WhatsAppSandbox } from '../../../sandbox/whatsapp-sandbox.ts';

type SandboxNumber = ReturnType<WhatsAppSandbox['createNumber']>;

/**
 * A WhatsApp channel on a sandbox number, subscribed to the sandbox's webhooks (the app listens: the
 * webhook URL is built from its Host); answers the created channel.
 */
export async function connectWhatsApp(
  t: Pick<AppFixture, 'as' | 'admin'>,
  sandbox: WhatsAppSandbox,
  number: SandboxNumber,
  settings: Record<string, unknown> = {},
  name = 'WA',
): Promise<{ id: string; connection: { webhookUrl: string; verifyToken: string } }> {
  const res = await t.as(t.admin, 'POST', '/api/v1/channels', {
    type: 'whatsapp',
    name,
    settings: {
      phoneNumberId: number.phoneNumberId,
      accessToken: number.accessToken,
      appSecret: number.appSecret,
      apiBaseUrl: sandbox.url,
      ...settings,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { webhookUrl, verifyToken } = res.json().connection;
  expect(await sandbox.subscribe(number.phoneNumberId, webhookUrl, verifyToken)).toBe(true);
  return res.json();
}

/** A customer's first text on the number, through the sandbox; answers the conversation's id. */
export async function customerStarts(
  t: AppFixture,
  sandbox: WhatsAppSandbox,
  number: SandboxNumber,
  from: string,
  text: string,
): Promise<string> {
  await sandbox.customerSends(number.phoneNumberId, { from, content: { text } });
  await sandbox.settle();
  await t.drainJobs();
  return (await t.as(t.admin, 'GET', '/api/v1/conversations')).json().items[0].id;
}
