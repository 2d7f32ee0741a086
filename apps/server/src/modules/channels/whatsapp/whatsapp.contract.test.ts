import { json } from '../../../../test/channel-kit.ts';
import { hmacSha256Hex } from '../../../infra/crypto/hmac.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';

const PHONE_NUMBER_ID = '106540352242922';
const APP_SECRET = 'contract-app-secret-0001';
const CUSTOMER = '15550001111';

/** A Cloud API webhook: the `whatsapp_business_account` envelope, signed over the exact bytes sent. */
function webhook(_k: KitChannel, value: Record<string, unknown>) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550009999', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  });
  return {
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(APP_SECRET, body)}`,
    },
    body,
  };
}

function message(k: KitChannel, n: number, content: Record<string, unknown>) {
  return webhook(k, {
    contacts: [{ profile: { name: 'Maria' }, wa_id: CUSTOMER }],
    messages: [
      {
        from: CUSTOMER,
        id: `wamid.contract-in-${n}`,
        timestamp: String(Math.floor(k.now() / 1000)),
        ...content,
      },
    ],
  });
}

const media = (id: string, mime: string) => ({ id, mime_type: mime, sha256: 'x' });

const graphError = (status: number, code: number, message: string, headers?: Record<string, string>) =>
  json(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbC' } }, headers);

const kit: AdapterFixtureKit = {
  type: 'whatsapp',
  settings: (url) => ({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'EAAG-contract-access-token',
    appSecret: APP_SECRET,
    apiBaseUrl: url,
  }),
  provider: {
    isSend: (r) => r.method === 'POST' && r.path.endsWith(`/${PHONE_NUMBER_ID}/messages`),
    answer(r, sendNo) {
      if (r.method === 'POST' && r.path.endsWith('/messages'))
        return json(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
          messages: [{ id: `wamid.contract-out-${sendNo}` }],
        });
      if (r.method === 'GET' && r.path.includes(PHONE_NUMBER_ID))
        return json(200, {
          id: PHONE_NUMBER_ID,
          display_phone_number: '+1 555-000-9999',
          verified_name: 'Acme',
        });
      return graphError(404, 803, 'Unknown path');
    },
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => message(k, n, { type: 'text', text: { body: 'Where is my order?' } }),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: (k, n) =>
        message(k, n, { type: 'image', image: { ...media('img1', 'image/jpeg'), caption: 'the box' } }),
    },
    {
      contentKind: 'voice',
      attachments: 1,
      build: (k, n) =>
        message(k, n, { type: 'audio', audio: { ...media('aud1', 'audio/ogg; codecs=opus'), voice: true } }),
    },
    {
      contentKind: 'document',
      attachments: 1,
      build: (k, n) =>
        message(k, n, {
          type: 'document',
          document: { ...media('doc1', 'application/pdf'), filename: 'invoice.pdf' },
        }),
    },
    {
      contentKind: 'location',
      build: (k, n) => message(k, n, { type: 'location', location: { latitude: 55.75, longitude: 37.61 } }),
    },
  ],
  forged: (k) => message(k, 1, { type: 'text', text: { body: 'hi' } }),
  tampered: null,
  receipts: {
    build: (k, id, status, n) =>
      webhook(k, {
        statuses: [{ id, status, timestamp: String(Math.floor(k.now() / 1000) + n), recipient_id: CUSTOMER }],
      }),
    higher: 'read',
    lower: 'delivered',
  },
  errors: {
    rateLimited: (s) => graphError(429, 130429, 'Rate limit hit', { 'retry-after': String(s) }),
    transient: () => graphError(503, 131000, 'Something went wrong'),
    final: { answer: graphError(400, 131026, 'Message undeliverable'), code: 'invalid_recipient' },
    windowClosed: graphError(400, 131047, 'Re-engagement message'),
  },
  buttons: {
    sent(r) {
      const b = JSON.parse(r.body) as {
        type?: string;
        interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } };
      };
      return b.type === 'interactive' ? (b.interactive?.action?.buttons ?? []).map((x) => x.reply) : [];
    },
    // The customer's tap: an `interactive.button_reply` quoting our message.
    tap: (k, t, n) =>
      message(k, n, {
        context: { from: '15550009999', id: t.providerMessageId },
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: t.id, title: t.title } },
      }),
  },
};

// The forged delivery is signed with another secret; the tampered one over re-spaced bytes.
kit.forged = (k) => {
  const call = message(k, 1, { type: 'text', text: { body: 'hi' } });
  return {
    ...call,
    headers: {
      ...call.headers,
      'x-hub-signature-256': `sha256=${hmacSha256Hex('another-secret', call.body)}`,
    },
  };
};
kit.tampered = (k) => {
  const call = message(k, 1, { type: 'text', text: { body: 'hi' } });
  return { ...call, body: JSON.stringify(JSON.parse(call.body), null, 1) };
};

adapterContract(kit);
