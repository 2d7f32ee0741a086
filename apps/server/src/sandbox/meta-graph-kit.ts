import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What Meta's Graph products have in common, for the WhatsApp and the Messenger/Instagram sandboxes:
 * Meta's JSON serialisation, the Graph error envelope, bearer tokens, the webhook subscription handshake
 * and signed webhook posts delivered one after another.
 */

/** Meta's serialisation: compact JSON with non-ASCII as \uXXXX and `/` as `\/`. */
export function metaJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** Graph object ids are 15–16 digit numbers (as strings). */
export function numericId(): string {
  return `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000, 999_999)}`;
}

export interface GraphErrorScript {
  httpStatus?: number;
  code: number;
  message: string;
  subcode?: number;
  details?: string;
  retryAfterSeconds?: number;
}

/** Graph's error envelope `{"error": {message, type, code, error_subcode?, error_data?, fbtrace_id}}`. */
export function sendGraphError(
  res: ServerResponse,
  e: GraphErrorScript,
  errorData: Record<string, unknown> = {},
): void {
  const headers = e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : {};
  const text = JSON.stringify({
    error: {
      message: e.message,
      type: 'OAuthException',
      code: e.code,
      ...(e.subcode !== undefined ? { error_subcode: e.subcode } : {}),
      ...(e.details ? { error_data: { ...errorData, details: e.details } } : {}),
      fbtrace_id: randomBytes(12).toString('base64url'),
    },
  });
  res.writeHead(e.httpStatus ?? 400, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** The bearer token of a Graph call (header, or `access_token` in the query as Graph also takes it). */
export function bearerOf(req: IncomingMessage, url?: URL): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? url?.searchParams.get('access_token') ?? null;
}

/**
 * Saving a callback URL in Meta's dashboard: a GET with hub.mode=subscribe, the verify token and a
 * challenge that must come back as the body.
 */
export async function metaSubscribe(callbackUrl: string, verifyToken: string): Promise<boolean> {
  const challenge = String(randomInt(1_000_000_000, 2_000_000_000));
  const u = new URL(callbackUrl);
  u.searchParams.set('hub.mode', 'subscribe');
  u.searchParams.set('hub.challenge', challenge);
  u.searchParams.set('hub.verify_token', verifyToken);
  const res = await fetch(u);
  return res.status === 200 && (await res.text()) === challenge;
}

/** Signed webhook posts (`X-Hub-Signature-256`, and the legacy sha1 header), one after another. */
export class MetaWebhookPoster {
  private chain: Promise<void> = Promise.resolve();
  readonly log: { target: string; status: number; body: string }[] = [];

  /** Queues one post; resolves with the HTTP status it got (0: not subscribed or unreachable). */
  enqueue(target: { key: string; url: string | null; appSecret: string }, body: string): Promise<number> {
    const run = this.chain.then(() => this.post(target, body));
    this.chain = run.then(() => undefined);
    return run;
  }

  /** Waits until every post queued so far was delivered. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  private async post(
    t: { key: string; url: string | null; appSecret: string },
    body: string,
  ): Promise<number> {
    if (!t.url) return 0;
    const sign = (alg: 'sha256' | 'sha1') => createHmac(alg, t.appSecret).update(body).digest('hex');
    try {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${sign('sha256')}`,
          'x-hub-signature': `sha1=${sign('sha1')}`,
        },
        body,
      });
      const text = await res.text();
      this.log.push({ target: t.key, status: res.status, body: text });
      return res.status;
    } catch (err) {
      this.log.push({ target: t.key, status: 0, body: (err as Error).message });
      return 0;
    }
  }
}
