import { json } from '../../../../test/channel-kit.ts';
import { type AdapterFixtureKit, type KitChannel, adapterContract } from '../adapter-contract.ts';
import { SIGNATURE_HEADER, signApiBody } from './api-signature.ts';

/** The business's own system posts signed JSON; replies go to its callback URL (the fake provider). */
function post(k: KitChannel, body: unknown, secret?: string) {
  const raw = JSON.stringify(body);
  return {
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signApiBody(
        secret ?? String((k.created.connection as { secret: string }).secret),
        raw,
      ),
    },
    body: raw,
  };
}

const inbound = (k: KitChannel, n: number, message: Record<string, unknown>) =>
  post(k, {
    eventId: `evt-${n}`,
    contact: { externalId: 'cust-42', name: 'Maria' },
    message: { externalId: `m-${n}`, timestamp: k.now(), ...message },
  });

const kit: AdapterFixtureKit = {
  type: 'api',
  settings: (url) => ({ callbackUrl: `${url}/callback` }),
  provider: {
    isSend: (r) => r.path === '/callback',
    answer: (_r, sendNo) => json(200, { messageId: `ext-${sendNo}` }),
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => inbound(k, n, { text: 'Where is my order?' }),
    },
    {
      contentKind: 'image',
      text: null,
      attachments: 1,
      build: (k, n) =>
        inbound(k, n, {
          attachments: [{ url: 'https://files.example/box.jpg', mimeType: 'image/jpeg', name: 'box.jpg' }],
        }),
    },
    {
      contentKind: 'document',
      text: null,
      attachments: 1,
      build: (k, n) =>
        inbound(k, n, {
          attachments: [
            { url: 'https://files.example/invoice.pdf', mimeType: 'application/pdf', name: 'invoice.pdf' },
          ],
        }),
    },
  ],
  forged: (k) =>
    post(
      k,
      { eventId: 'evt-x', contact: { externalId: 'c' }, message: { externalId: 'x', text: 'hi' } },
      'not-the-secret',
    ),
  tampered: (k) => {
    const call = inbound(k, 1, { text: 'hi' });
    return { ...call, body: JSON.stringify(JSON.parse(call.body), null, 2) };
  },
  receipts: null,
  errors: {
    rateLimited: (s) => json(429, { error: 'slow down' }, { 'retry-after': String(s) }),
    transient: () => json(503, { error: 'maintenance' }),
    final: { answer: json(400, { error: 'unknown customer' }), code: 'rejected_by_callback' },
    windowClosed: null,
  },
};

adapterContract(kit);
