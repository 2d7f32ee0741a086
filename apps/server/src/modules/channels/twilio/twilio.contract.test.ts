import { json } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';
import { type FormParams, SIGNATURE_HEADER, twilioSignature } from './twilio-signature.ts';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'contractauthtoken0123456789abcdef';
const BUSINESS = '+15550009999';
const CUSTOMER = '+15550001111';

const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

/** A Twilio webhook: form-encoded, signed over the URL and the sorted parameters. */
function post(k: KitChannel, params: FormParams, token = AUTH_TOKEN) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      [SIGNATURE_HEADER]: twilioSignature(token, k.webhookUrl, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

function inbound(k: KitChannel, n: number, extra: FormParams) {
  return post(k, [
    ['MessageSid', sid('SM', n)],
    ['AccountSid', ACCOUNT_SID],
    ['From', CUSTOMER],
    ['To', BUSINESS],
    ['SmsStatus', 'received'],
    ...extra,
  ]);
}

const restError = (status: number, code: number, message: string, headers?: Record<string, string>) =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);

const kit: AdapterFixtureKit = {
  type: 'twilio_sms',
  settings: (url) => ({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    fromNumber: BUSINESS,
    apiBaseUrl: url,
  }),
  provider: {
    isSend: (r) => r.method === 'POST' && r.path.endsWith('/Messages.json'),
    answer(r, sendNo) {
      if (r.method === 'POST' && r.path.endsWith('/Messages.json'))
        return json(201, {
          sid: sid('SM', 0xf0000 + sendNo),
          status: 'queued',
          to: CUSTOMER,
          from: BUSINESS,
        });
      if (r.path.includes('/IncomingPhoneNumbers'))
        return json(200, { incoming_phone_numbers: [{ sid: sid('PN', 1), phone_number: BUSINESS }] });
      if (r.method === 'POST' && r.path.includes('/IncomingPhoneNumbers/'))
        return json(200, { sid: sid('PN', 1) });
      if (r.method === 'GET' && r.path.endsWith(`/Accounts/${ACCOUNT_SID}.json`))
        return json(200, { sid: ACCOUNT_SID, friendly_name: 'Acme', status: 'active' });
      return restError(404, 20404, 'The requested resource was not found');
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) =>
        inbound(k, n, [
          ['Body', 'Where is my order?'],
          ['NumMedia', '0'],
        ]),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: (k, n) =>
        inbound(k, n, [
          ['Body', 'the box'],
          ['NumMedia', '1'],
          [
            'MediaUrl0',
            `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid('MM', n)}/Media/ME1`,
          ],
          ['MediaContentType0', 'image/jpeg'],
        ]),
    },
  ],
  forged: (k) => inbound(k, 1, [['Body', 'hi']]),
  // Twilio signs the URL and the form parameters: re-encoded bytes carry the same parameters.
  tampered: null,
  receipts: {
    build: (k, id, status) =>
      post(k, [
        ['MessageSid', id],
        ['AccountSid', ACCOUNT_SID],
        ['From', BUSINESS],
        ['To', CUSTOMER],
        ['MessageStatus', status],
      ]),
    higher: 'delivered',
    lower: 'sent',
  },
  errors: {
    rateLimited: (s) => restError(429, 20429, 'Too Many Requests', { 'retry-after': String(s) }),
    transient: () => restError(503, 20500, 'Internal Server Error'),
    final: {
      answer: restError(400, 21211, "The 'To' number is not a valid phone number."),
      code: 'invalid_recipient',
    },
    windowClosed: null,
  },
};

kit.forged = (k) => {
  const call = inbound(k, 1, [['Body', 'hi']]);
  return {
    ...call,
    headers: {
      ...call.headers,
      [SIGNATURE_HEADER]: twilioSignature('another-token-0123456789', k.webhookUrl, [['Body', 'hi']]),
    },
  };
};

adapterContract(kit);
