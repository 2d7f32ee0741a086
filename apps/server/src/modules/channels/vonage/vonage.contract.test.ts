import { json } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';
import { signVonageWebhook } from './vonage-jwt.ts';

const API_KEY = 'abcd1234';
const API_SECRET = 'Secret0123456789';
const SIGNATURE_SECRET = 'sigSecret-0123456789abcdef';
const BUSINESS = '447700900000';
const CUSTOMER = '447700900001';

const uuid = (n: number) => `aaaaaaaa-bbbb-4ccc-8ddd-${n.toString(16).padStart(12, '0')}`;

/** A Messages API webhook: JSON, with a JWT over its SHA-256 in Authorization. */
function webhook(body: string, secret = SIGNATURE_SECRET) {
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${signVonageWebhook(secret, body)}`,
    },
    body,
  };
}

const inbound = (k: KitChannel, n: number, text: string) =>
  JSON.stringify({
    channel: 'sms',
    message_uuid: uuid(n),
    to: BUSINESS,
    from: CUSTOMER,
    timestamp: new Date(k.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    text,
    sms: { num_messages: '1', keyword: text.split(' ')[0]!.toUpperCase() },
    message_type: 'text',
  });

const problem = (status: number, title: string, detail: string, headers?: Record<string, string>) =>
  json(
    status,
    {
      type: `https://developer.nexmo.com/api-errors/messages-olympus#${title.toLowerCase().replace(/ /g, '-')}`,
      title,
      detail,
      instance: 'bf0ca0bf927b3b52e3cb03217e1a1ddf',
    },
    headers,
  );

const kit: AdapterFixtureKit = {
  type: 'vonage_sms',
  settings: (url) => ({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    signatureSecret: SIGNATURE_SECRET,
    fromNumber: BUSINESS,
    apiBaseUrl: url,
  }),
  provider: {
    isSend: (r) => r.method === 'POST' && r.path === '/v1/messages',
    answer(r, sendNo) {
      const auth = `Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`;
      if (r.headers.authorization !== auth)
        return problem(401, 'Unauthorized', 'You did not provide correct credentials.');
      if (r.method === 'POST' && r.path === '/v1/messages')
        return json(202, { message_uuid: uuid(0xf0000 + sendNo) });
      return problem(404, 'Not Found', 'The requested resource does not exist');
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => webhook(inbound(k, n, 'Where is my order?')),
    },
  ],
  forged: (k) => webhook(inbound(k, 1, 'hi'), 'another-signature-secret'),
  tampered: (k) => {
    const body = inbound(k, 1, 'hi');
    return { ...webhook(body), body: body.replace('"channel":"sms"', '"channel": "sms"') };
  },
  receipts: {
    build: (_k, id, status) =>
      webhook(
        JSON.stringify({
          message_uuid: id,
          to: CUSTOMER,
          from: BUSINESS,
          timestamp: new Date().toISOString(),
          status: status === 'sent' ? 'submitted' : status,
          usage: { currency: 'EUR', price: '0.0333' },
          channel: 'sms',
          client_ref: 'x',
        }),
      ),
    higher: 'delivered',
    lower: 'sent',
  },
  errors: {
    rateLimited: (s) =>
      problem(429, 'Rate Limit Hit', 'Please wait, then retry your request', { 'retry-after': String(s) }),
    transient: () => problem(500, 'Internal Error', 'There was an error processing your request.'),
    final: {
      answer: problem(422, 'Invalid params', 'The value of one or more parameters is invalid.'),
      code: 'invalid_request',
    },
    windowClosed: null,
  },
};

adapterContract(kit);
