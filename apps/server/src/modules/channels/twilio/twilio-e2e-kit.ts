import { beforeEach, expect } from 'vitest';
import type { CountedTable } from '../../../../test/channel-kit.ts';
import type { DialectName } from '../../../infra/db/database.ts';
import { settleWith, useSandbox } from '../../../../test/use-sandbox.ts';
import { useTestApp } from '../../../../test/use-test-app.ts';
import { TwilioSandbox } from '../../../sandbox/twilio-sandbox.ts';

export const BUSINESS = '+15550001111';
export const MARIA = '+15557654321';

/**
 * The Twilio e2e suites' setup: an app listening on loopback, the Twilio sandbox with an account owning
 * BUSINESS, and the steps the suites take (connect, a customer's text, reading back).
 */
export function useTwilio(dialect: DialectName) {
  const t = useTestApp(dialect, { listen: true });
  const sandbox = useSandbox(new TwilioSandbox());
  let acct: { accountSid: string; authToken: string };
  let channelId: string;
  let webhookUrl: string;

  beforeEach(async () => {
    acct = sandbox.createAccount('Acme SMS');
    sandbox.addNumber(acct.accountSid, BUSINESS);
  });

  const { as, reply } = t;
  const connect = async (settings: Record<string, unknown> = {}) => {
    const res = await as(t.admin, 'POST', '/api/v1/channels', {
      type: 'twilio_sms',
      name: 'Acme',
      settings: {
        accountSid: acct.accountSid,
        authToken: acct.authToken,
        fromNumber: BUSINESS,
        apiBaseUrl: sandbox.url,
        ...settings,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    channelId = res.json().id;
    webhookUrl = res.json().connection.webhookUrl;
    sandbox.setWebhook(acct.accountSid, BUSINESS, webhookUrl);
    return res;
  };
  const text = (body: string, from = MARIA) =>
    sandbox.customerTexts(acct.accountSid, { from, to: BUSINESS, body });
  const count = (table: CountedTable) => t.count(table);
  const conversations = async () => (await as(t.admin, 'GET', '/api/v1/conversations')).json().items;
  const messagesOf = async (convId: string) =>
    (await as(t.admin, 'GET', `/api/v1/conversations/${convId}/messages`)).json().items;
  const messageById = async (convId: string, id: string) =>
    (await messagesOf(convId)).find((m: { id: string }) => m.id === id);
  const settle = () => settleWith(sandbox, t);
  const consentOf = async (contactId: string) =>
    (await as(t.admin, 'GET', `/api/v1/contacts/${contactId}/consent`)).json().items;

  return {
    t,
    sandbox,
    /** The sandbox account of the current test. */
    get acct() {
      return acct;
    },
    /** The channel `connect` created. */
    get channelId() {
      return channelId;
    },
    get webhookUrl() {
      return webhookUrl;
    },
    as,
    reply,
    connect,
    text,
    count,
    conversations,
    messagesOf,
    messageById,
    settle,
    consentOf,
  };
}
