/** The Messenger webhook suites' channel, signing and Meta's envelope. */
import { createHmac } from 'node:crypto';
import type { ChannelRuntime, InboundEvent, WebhookRequest } from '../channel-adapter.ts';
import { messengerAdapter } from './messenger.adapter.ts';

export const PAGE_ID = '682498302938465';
export const APP_SECRET = 'b1e3f0c9d2a84b5c9e7f6a1b2c3d4e5f';
export const channel: ChannelRuntime = {
  id: 'ch-fb',
  accountId: 'acc',
  type: 'messenger',
  name: 'Messenger',
  settings: { pageId: PAGE_ID },
  credentials: { pageAccessToken: 'EAAB-page-token', appSecret: APP_SECRET, verifyToken: 'my-verify-token' },
};
export const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
export const post = (body: string, signature: string | undefined = sign(body)): WebhookRequest => ({
  method: 'POST',
  headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
  query: {},
  rawBody: Buffer.from(body),
});
/** Meta's envelope around messaging items, as the Messenger Platform delivers them. */
export const page = (...messaging: unknown[]) =>
  JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: 1458692752478, messaging }] });

/** Runs a body through the webhook split and the worker's parse, as the pipeline does. */
export function inbound(body: string): { keys: string[]; events: InboundEvent[] } {
  const r = messengerAdapter.handleWebhook(post(body), channel);
  return {
    keys: r.events.map((e) => e.providerEventId),
    events: r.events.flatMap((e) => messengerAdapter.parse(JSON.parse(JSON.stringify(e.payload)), channel)),
  };
}
