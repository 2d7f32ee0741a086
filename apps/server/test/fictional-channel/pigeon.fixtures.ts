import type { AdapterFixtureKit, KitChannel } from '../../src/modules/channels/adapter-contract.ts';
import { hmacSha256Hex } from '../../src/infra/crypto/hmac.ts';
import { json } from '../channel-kit.ts';
import { PIGEON_SIGNATURE_HEADER } from './pigeon.adapter.ts';

export const RING_KEY = 'ring-key-of-the-loft';

function signed(body: unknown, key = RING_KEY) {
  const raw = JSON.stringify(body);
  return {
    headers: { 'content-type': 'application/json', [PIGEON_SIGNATURE_HEADER]: hmacSha256Hex(key, raw) },
    body: raw,
  };
}

const note = (k: KitChannel, n: number, extra: Record<string, unknown>) =>
  signed({ note: { id: `n-${n}`, loft: 4711, name: 'Old Tom', at: k.now(), ...extra } });

/** The fictional channel's fixture kit: all the contract suite needs, in the channel's own folder. */
export const pigeonKit: AdapterFixtureKit = {
  type: 'pigeon',
  settings: (url) => ({ loftId: 'L1234', ringKey: RING_KEY, apiBaseUrl: url }),
  provider: {
    isSend: (r) => r.method === 'POST' && r.path.endsWith('/notes'),
    answer: (_r, sendNo) => json(201, { id: `out-${sendNo}` }),
  },
  content: [
    {
      contentKind: 'text',
      text: 'Coo, where is my seed?',
      build: (k, n) => note(k, n, { text: 'Coo, where is my seed?' }),
    },
    {
      contentKind: 'image',
      text: null,
      attachments: 1,
      build: (k, n) => note(k, n, { drawing: { url: 'https://pigeon.example/d/1.png', mime: 'image/png' } }),
    },
  ],
  forged: (k) => ({ ...note(k, 1, { text: 'hi' }), headers: signed({}, 'a-hawk').headers }),
  tampered: (k) => {
    const call = note(k, 1, { text: 'hi' });
    return { ...call, body: JSON.stringify(JSON.parse(call.body), null, 2) };
  },
  receipts: {
    build: (k, id, status) => signed({ receipt: { messageId: id, status, at: k.now() } }),
    higher: 'delivered',
    lower: 'sent',
  },
  errors: {
    rateLimited: (s) => json(429, { error: 'flock busy' }, { 'retry-after': String(s) }),
    transient: () => json(503, { error: 'storm' }),
    final: { answer: json(400, { error: 'unknown loft' }), code: 'rejected' },
    windowClosed: json(409, { error: 'window' }),
  },
};
