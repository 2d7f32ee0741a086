import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/use-test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { TelegramSandbox } from '../../sandbox/telegram-sandbox.ts';
import { TwilioSandbox } from '../../sandbox/twilio-sandbox.ts';
import { WhatsAppSandbox } from '../../sandbox/whatsapp-sandbox.ts';

const dialects = await testDialects();

/**
 * Each provider's API base is an admin-typed URL: without ALLOW_PRIVATE_URLS a loopback one (here the
 * real sandboxes) is refused before any request leaves, with what the admin must change.
 */
describe.each(dialects)('provider API bases behind the SSRF guard (%s)', (dialect) => {
  let telegram: TelegramSandbox;
  let whatsapp: WhatsAppSandbox;
  let twilio: TwilioSandbox;
  const t = useTestApp(dialect, { env: { ALLOW_PRIVATE_URLS: '' } });

  beforeAll(async () => {
    telegram = await new TelegramSandbox().start(0, '127.0.0.1');
    whatsapp = await new WhatsAppSandbox().start(0, '127.0.0.1');
    twilio = await new TwilioSandbox().start(0, '127.0.0.1');
  });
  afterAll(async () => {
    await telegram.stop();
    await whatsapp.stop();
    await twilio.stop();
  });

  const create = (type: string, settings: Record<string, unknown>) =>
    t.as(t.admin, 'POST', '/api/v1/channels', { type, name: type, settings });

  it.each(['telegram', 'whatsapp', 'twilio_sms'])('%s: a loopback apiBaseUrl is refused', async (type) => {
    const settings: Record<string, Record<string, unknown>> = {
      telegram: { botToken: telegram.createBot({ username: 'ssrf_bot' }).token, apiBaseUrl: telegram.url },
      whatsapp: {
        phoneNumberId: '100200300',
        accessToken: 'EAAG-some-access-token',
        appSecret: 'app-secret',
        apiBaseUrl: whatsapp.url,
      },
      twilio_sms: {
        accountSid: `AC${'0'.repeat(32)}`,
        authToken: 'x'.repeat(32),
        fromNumber: '+15550100300',
        apiBaseUrl: twilio.url,
      },
    };
    const res = await create(type, settings[type]!);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('validation_error');
    expect(res.json().error.message).toMatch(/^settings\.apiBaseUrl: .*ALLOW_PRIVATE_URLS/);
    expect((await t.as(t.admin, 'GET', '/api/v1/channels')).json().items).toHaveLength(0);
  });
});
