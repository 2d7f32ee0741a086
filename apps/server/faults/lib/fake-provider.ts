import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signApiBody } from '../../src/modules/channels/api/api-signature.ts';

/** What the provider decided for one request. */
export interface ProviderAnswer {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfterSec?: number;
}

export interface ProviderRequest {
  /** When the request arrived (ms). */
  at: number;
  /** X-Switchboard-Delivery: the message id, the receiver's de-duplication key. */
  deliveryId: string;
  conversationId: string;
  text: string;
  signatureOk: boolean;
  answer: ProviderAnswer;
}

/**
 * The business backend behind an API channel (the "provider" of outbound messages) over real HTTP. It
 * counts a message as accepted when it decides to answer 2xx, as a real backend would act on it even if
 * the answer never reaches the sender (that is how a kill mid-send turns into a duplicate). Answers are
 * scriptable per request (outages: 500, 429 with Retry-After) and can be slowed down so sends are
 * in flight when a fault strikes.
 */
export class FakeProvider {
  readonly requests: ProviderRequest[] = [];
  /** Distinct message ids accepted so far (kept up to date for cheap polling). */
  readonly acceptedIds = new Set<string>();
  /** Decides each answer; default: 200. */
  answer: (req: Omit<ProviderRequest, 'answer'>) => ProviderAnswer = () => ({ status: 200 });
  /** Random answer delay in [min, max] ms. */
  latencyMs: [number, number] = [0, 0];
  /** While held, answers wait (the backend is slow); `release()` lets them go. */
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};
  private server: Server | undefined;
  url = '';

  constructor(private readonly secret: () => string | undefined = () => undefined) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: { message?: { id?: string; conversationId?: string; text?: string } } = {};
        try {
          body = JSON.parse(raw);
        } catch {}
        const secret = this.secret();
        const base = {
          at: Date.now(),
          deliveryId: String(req.headers['x-switchboard-delivery'] ?? ''),
          conversationId: body.message?.conversationId ?? '',
          text: body.message?.text ?? '',
          signatureOk:
            secret === undefined || req.headers['x-switchboard-signature'] === signApiBody(secret, raw),
        };
        const answer = this.answer(base);
        this.requests.push({ ...base, answer });
        if (answer.status >= 200 && answer.status < 300) this.acceptedIds.add(base.deliveryId);
        const [min, max] = this.latencyMs;
        const delay = min + Math.random() * (max - min);
        const gate = this.gate;
        const answerNow = () => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (answer.retryAfterSec !== undefined) headers['retry-after'] = String(answer.retryAfterSec);
          res.writeHead(answer.status, headers);
          res.end(JSON.stringify(answer.status < 300 ? { messageId: `ext-${base.deliveryId}` } : {}));
        };
        void gate.then(() => setTimeout(answerNow, delay));
      });
      // The sender may die while we wait: nothing to do about a closed socket.
      res.on('error', () => {});
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
    return this;
  }

  hold(): void {
    this.gate = new Promise((r) => {
      this.open = r;
    });
  }

  release(): void {
    this.open();
    this.gate = Promise.resolve();
  }

  /** Requests answered 2xx: the messages the backend acted on. */
  accepted(): ProviderRequest[] {
    return this.requests.filter((r) => r.answer.status >= 200 && r.answer.status < 300);
  }

  /** Accepted count per message id (more than 1 = a duplicate delivery). */
  acceptedCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.accepted()) m.set(r.deliveryId, (m.get(r.deliveryId) ?? 0) + 1);
    return m;
  }

  async stop(): Promise<void> {
    this.release();
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
