import {
  type AdapterFixtureKit,
  type InboundCall,
  type KitChannel,
  adapterContract,
} from '../adapter-contract.ts';
import { VISITOR_TOKEN_HEADER } from './widget-access.ts';

const ORIGIN = 'https://shop.example';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The widget is its own provider: the visitor's browser posts to the visitor API with its session token
 * (the widget's authenticity check), and receipts come back the same way. Nothing outside can fail a send.
 */
const visitorPath = (k: KitChannel, rest: string) => `/api/v1/widget/${k.channel.id}${rest}`;
const headers = (k: KitChannel, token?: string) => ({
  'content-type': 'application/json',
  origin: ORIGIN,
  [VISITOR_TOKEN_HEADER]: token ?? String(k.state.token),
});
const message = (k: KitChannel, n: number, body: Record<string, unknown>, token?: string): InboundCall => ({
  path: visitorPath(k, '/messages'),
  headers: headers(k, token),
  body: JSON.stringify({ clientMessageId: `contract-${n}-message`, ...body }),
});

const kit: AdapterFixtureKit = {
  type: 'widget',
  settings: () => ({}),
  provider: null,
  async prepare(k) {
    const res = await k.t.app.inject({
      method: 'POST',
      url: visitorPath(k, '/session'),
      headers: { origin: ORIGIN },
      payload: { name: 'Maria' },
    });
    if (res.statusCode !== 200) throw new Error(`visitor session: ${res.statusCode} ${res.body}`);
    k.state.token = res.json().token;
  },
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) => message(k, n, { text: 'Where is my order?' }),
    },
    {
      contentKind: 'image',
      text: null,
      attachments: 1,
      async build(k, n) {
        const up = await k.t.app.inject({
          method: 'POST',
          url: visitorPath(k, '/uploads'),
          headers: { ...headers(k), 'content-type': 'image/png', 'x-file-name': 'box.png' },
          payload: PNG,
        });
        if (up.statusCode !== 201) throw new Error(`upload: ${up.statusCode} ${up.body}`);
        return message(k, n, { attachments: [up.json().token] });
      },
    },
  ],
  forged: (k) => message(k, 1, { text: 'hi' }, `${String(k.state.token).slice(0, -4)}AAAA`),
  tampered: null,
  receipts: {
    build: (k, id, status) => ({
      path: visitorPath(k, '/receipts'),
      headers: headers(k),
      body: JSON.stringify({ status, messageIds: [id] }),
    }),
    higher: 'read',
    lower: 'delivered',
  },
  errors: null,
  // The widget draws the buttons itself (its visitor API shows them on the message): nothing to inspect
  // at a provider; a tap is the title posted with the button's id.
  buttons: {
    sent: null,
    tap: (k, t, n) => message(k, n, { text: t.title, buttonId: t.id }),
  },
};

adapterContract(kit);
