import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeEqual } from '../../src/infra/crypto/hmac.ts';
import { signWebhook } from '../../src/modules/webhooks/webhook-signature.ts';

/** One POST as the CRM saw it. */
export interface ReceivedDelivery {
  at: number;
  deliveryId: string;
  eventId: string;
  eventType: string;
  /** The message's id and conversation (message events), for order and loss checks. */
  messageId: string;
  conversationId: string;
  signatureOk: boolean;
  accepted: boolean;
}

/**
 * A CRM receiving outgoing webhooks over real HTTP. It verifies every signature with the endpoint's
 * secret (timestamp within 5 minutes) and counts a delivery as accepted when it decides to answer 2xx,
 * as a real receiver acts on it even if the answer never reaches the sender. Answers are slowed so
 * deliveries are in flight when a fault strikes.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  /** Event ids accepted at least once (cheap polling). */
  readonly acceptedEvents = new Set<string>();
  secret = '';
  latencyMs: [number, number] = [0, 0];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: { id?: string; type?: string; data?: { id?: string; conversationId?: string } } = {};
        try {
          body = JSON.parse(raw);
        } catch {}
        const ts = Number(req.headers['x-switchboard-timestamp']);
        const fresh = Number.isInteger(ts) && Math.abs(Date.now() / 1000 - ts) <= 300;
        const signatureOk =
          fresh &&
          safeEqual(String(req.headers['x-switchboard-signature'] ?? ''), signWebhook(this.secret, ts, raw));
        const d: ReceivedDelivery = {
          at: Date.now(),
          deliveryId: String(req.headers['x-switchboard-delivery'] ?? ''),
          eventId: body.id ?? '',
          eventType: String(req.headers['x-switchboard-event'] ?? ''),
          messageId: body.data?.id ?? '',
          conversationId: body.data?.conversationId ?? '',
          signatureOk,
          accepted: signatureOk,
        };
        this.deliveries.push(d);
        if (d.accepted) this.acceptedEvents.add(d.eventId);
        const [min, max] = this.latencyMs;
        setTimeout(
          () => {
            res.writeHead(d.accepted ? 200 : 401, { 'content-type': 'application/json' });
            res.end('{}');
          },
          min + Math.random() * (max - min),
        );
      });
      // The sender may die while we wait: nothing to do about a closed socket.
      res.on('error', () => {});
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm`;
    return this;
  }

  accepted(): ReceivedDelivery[] {
    return this.deliveries.filter((d) => d.accepted);
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
