import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxServer, sendBytes } from './http-kit.ts';
import type { ChatLine } from './whatsapp-sandbox.ts';

/**
 * A local Viber REST Bot API (`/pa/set_webhook`, `/pa/send_message`) for tests and the demo. Like Viber it
 * answers HTTP 200 with a `status` (0 ok, 2 invalid token, 3 bad data, 6 not subscribed, 12 too many
 * requests...), writes `message_token` as a bare 64-bit integer beyond 2^53, checks the webhook with a
 * signed `webhook` probe when `set_webhook` is called (registration fails unless it gets 200), signs every
 * callback with `X-Viber-Content-Signature` (hex HMAC-SHA256 of the body with the bot's token), and plays
 * the customers: opening the chat (`conversation_started`, whose answer may carry one welcome message),
 * subscribing, unsubscribing, writing (which subscribes), and their phones' `delivered` / `seen` receipts.
 *
 * Deliberate differences: one chat host, media served from this server, no billing.
 */

export interface ViberCustomer {
  id: string;
  name: string;
}

interface Line extends ChatLine {
  token: bigint;
  to: string;
  /** The `send_message` body as the business posted it (business lines only). */
  request?: Record<string, unknown>;
}

interface Bot {
  name: string;
  authToken: string;
  webhook: string | null;
  eventTypes: string[];
  subscribers: Set<string>;
  sent: Line[];
  received: Line[];
  /** Statuses the next send_message calls answer instead of sending. */
  failures: number[];
}

export type CustomerMessage =
  | { type: 'text'; text: string }
  | { type: 'picture'; text?: string; bytes: Buffer; mime: string };

let tokenSeq = 5_925_477_129_011_358_721n;
const nextToken = () => {
  tokenSeq += 1n + BigInt(Math.floor(Math.random() * 1000));
  return tokenSeq;
};

export function signViber(authToken: string, body: string): string {
  return createHmac('sha256', authToken).update(body).digest('hex');
}

/** JSON whose 64-bit tokens stay bare integers, as Viber writes them. */
function viberJson(o: Record<string, unknown>): string {
  return JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? `__big${v}` : v)).replace(
    /"__big(\d+)"/g,
    '$1',
  );
}

export class ViberSandbox {
  private readonly bots = new Map<string, Bot>();
  private readonly media = new Map<string, { bytes: Buffer; mime: string }>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private chain: Promise<void> = Promise.resolve();
  /** Every callback posted: URL, event and Switchboard's answer. */
  readonly webhookLog: { url: string; event: string; status: number; body: string }[] = [];

  get url(): string {
    return this.server.url;
  }

  /** The REST root a channel's `apiBaseUrl` points at. */
  get apiBaseUrl(): string {
    return `${this.server.url}/pa`;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  async stop(): Promise<void> {
    await this.settle();
    await this.server.close();
  }

  /** Waits until every callback caused so far was delivered. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  createBot(name = 'Sandbox Bot'): { authToken: string } {
    const authToken = `${randomBytes(8).toString('hex')}-${randomBytes(8).toString('hex')}-${randomBytes(8).toString('hex')}`;
    this.bots.set(authToken, {
      name,
      authToken,
      webhook: null,
      eventTypes: [],
      subscribers: new Set(),
      sent: [],
      received: [],
      failures: [],
    });
    return { authToken };
  }

  webhookOf(authToken: string): string | null {
    return this.bot(authToken).webhook;
  }

  isSubscribed(authToken: string, userId: string): boolean {
    return this.bot(authToken).subscribers.has(userId);
  }

  /** The next send_message calls answer these statuses (12 too many requests, 7 blocked...). */
  failNext(authToken: string, ...statuses: number[]): void {
    this.bot(authToken).failures.push(...statuses);
  }

  /** What the business sent to this customer (welcome messages included). */
  sentTo(authToken: string, userId: string): Line[] {
    return this.bot(authToken).sent.filter((l) => l.to === userId);
  }

  history(authToken: string, userId: string): ChatLine[] {
    const b = this.bot(authToken);
    return [...b.received.filter((l) => l.to === userId), ...this.sentTo(authToken, userId)]
      .map(({ id, from, text, at, status }) => ({ id, from, text, at, ...(status ? { status } : {}) }))
      .sort((a, c) => a.at - c.at);
  }

  /** The customer opens the chat: `conversation_started`; a welcome message in the answer is shown to them. */
  async customerOpens(
    authToken: string,
    c: ViberCustomer,
  ): Promise<{ status: number; welcome: string | null }> {
    const b = this.bot(authToken);
    const res = await this.callback(b, 'conversation_started', {
      type: 'open',
      context: '',
      user: this.user(c),
      subscribed: b.subscribers.has(c.id),
    });
    let welcome: string | null = null;
    try {
      const m = JSON.parse(res.body) as { type?: string; text?: string; sender?: { name?: string } };
      if (m.type === 'text' && typeof m.text === 'string' && m.sender?.name) welcome = m.text;
    } catch {
      welcome = null;
    }
    if (welcome !== null) this.record(b, c.id, welcome, 'delivered');
    return { status: res.status, welcome };
  }

  async customerSubscribes(authToken: string, c: ViberCustomer): Promise<number> {
    const b = this.bot(authToken);
    b.subscribers.add(c.id);
    return (await this.callback(b, 'subscribed', { user: this.user(c) })).status;
  }

  async customerUnsubscribes(authToken: string, c: ViberCustomer): Promise<number> {
    const b = this.bot(authToken);
    b.subscribers.delete(c.id);
    return (await this.callback(b, 'unsubscribed', { user_id: c.id })).status;
  }

  /** The customer writes (which subscribes them, as on Viber). */
  async customerSends(authToken: string, c: ViberCustomer, m: CustomerMessage): Promise<number> {
    const b = this.bot(authToken);
    b.subscribers.add(c.id);
    let message: Record<string, unknown>;
    if (m.type === 'text') message = { type: 'text', text: m.text };
    else {
      const id = randomBytes(9).toString('base64url');
      this.media.set(id, { bytes: m.bytes, mime: m.mime });
      message = {
        type: 'picture',
        text: m.text ?? '',
        media: `${this.url}/media/${id}`,
        thumbnail: `${this.url}/media/${id}`,
      };
    }
    const token = nextToken();
    b.received.push({
      id: String(token),
      token,
      to: c.id,
      from: 'customer',
      text: m.type === 'text' ? m.text : `[photo]${m.text ? ` ${m.text}` : ''}`,
      at: Date.now(),
    });
    const res = await this.callback(b, 'message', { sender: this.user(c), message, silent: false }, token);
    return res.status;
  }

  /** The customer looks at the chat: `seen` for each delivered business message. */
  async customerReads(authToken: string, userId: string): Promise<void> {
    const b = this.bot(authToken);
    for (const l of b.sent) {
      if (l.to !== userId || l.status !== 'delivered') continue;
      l.status = 'read';
      void this.enqueue(b, 'seen', { user_id: userId }, l.token);
    }
    await this.settle();
  }

  private user(c: ViberCustomer) {
    return {
      id: c.id,
      name: c.name,
      avatar: `${this.url}/avatar.jpg`,
      language: 'en',
      country: 'GB',
      api_version: 10,
    };
  }

  private bot(authToken: string): Bot {
    const b = this.bots.get(authToken);
    if (!b) throw new Error('unknown Viber bot');
    return b;
  }

  private record(b: Bot, to: string, text: string, status: string): Line {
    const token = nextToken();
    const line: Line = { id: String(token), token, to, from: 'business', text, at: Date.now(), status };
    b.sent.push(line);
    return line;
  }

  /** Posts one signed callback after the ones caused before it (nothing when no webhook is set). */
  private callback(b: Bot, event: string, fields: Record<string, unknown>, token = nextToken()) {
    return this.enqueue(b, event, fields, token);
  }

  private enqueue(
    b: Bot,
    event: string,
    fields: Record<string, unknown>,
    token: bigint,
    url = b.webhook,
  ): Promise<{ status: number; body: string }> {
    const run = this.chain.then(() =>
      url ? this.post(b, url, event, fields, token) : { status: 0, body: '' },
    );
    this.chain = run.then(() => undefined);
    return run;
  }

  private async post(b: Bot, url: string, event: string, fields: Record<string, unknown>, token: bigint) {
    const body = viberJson({
      event,
      timestamp: Date.now(),
      chat_hostname: 'SN-SANDBOX_',
      message_token: token,
      ...fields,
    });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-viber-content-signature': signViber(b.authToken, body),
        },
        body,
      });
      const text = await res.text();
      this.webhookLog.push({ url, event, status: res.status, body: text });
      return { status: res.status, body: text };
    } catch (err) {
      this.webhookLog.push({ url, event, status: 0, body: (err as Error).message });
      return { status: 0, body: '' };
    }
  }

  private answer(
    res: ServerResponse,
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
  ): void {
    const text = viberJson({ status, status_message: message, chat_hostname: 'SN-SANDBOX_', ...extra });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    const media = /^\/media\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (media && req.method === 'GET') {
      const m = this.media.get(media[1]!);
      if (!m) return void res.writeHead(404).end();
      return sendBytes(res, m.bytes, m.mime);
    }
    const method = /^\/pa\/([a-z_]+)$/.exec(url.pathname)?.[1];
    if (!method || req.method !== 'POST') return this.answer(res, 3, 'badData');
    const b = this.bots.get(String(req.headers['x-viber-auth-token'] ?? ''));
    if (!b) return this.answer(res, 2, 'invalidAuthToken');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.answer(res, 3, 'badData');
    }
    if (method === 'set_webhook') return this.setWebhook(res, b, body);
    if (method === 'send_message') return this.sendMessage(res, b, body);
    if (method === 'get_account_info')
      return this.answer(res, 0, 'ok', { name: b.name, webhook: b.webhook ?? '' });
    return this.answer(res, 3, 'badData');
  }

  private async setWebhook(res: ServerResponse, b: Bot, body: Record<string, unknown>) {
    const url = typeof body.url === 'string' ? body.url : null;
    if (url === null) return this.answer(res, 4, 'missingData');
    if (url === '') {
      b.webhook = null;
      return this.answer(res, 0, 'ok');
    }
    if (!/^https?:\/\//.test(url)) return this.answer(res, 1, 'invalidUrl');
    // Viber checks the URL at once with a signed probe, and registers it only on a 200.
    const probe = await this.enqueue(b, 'webhook', {}, nextToken(), url);
    if (probe.status !== 200)
      return this.answer(res, 1, `Result[HttpRequestError(code=${probe.status})]: Failed to set webhook`);
    b.webhook = url;
    b.eventTypes = Array.isArray(body.event_types) ? (body.event_types as string[]) : [];
    return this.answer(res, 0, 'ok', { event_types: b.eventTypes });
  }

  private sendMessage(res: ServerResponse, b: Bot, m: Record<string, unknown>) {
    const failure = b.failures.shift();
    if (failure !== undefined)
      return this.answer(res, failure, failure === 12 ? 'tooManyRequests' : 'failure');
    const receiver = typeof m.receiver === 'string' ? m.receiver : '';
    const sender = m.sender as { name?: unknown } | undefined;
    if (!receiver || typeof sender?.name !== 'string') return this.answer(res, 4, 'missingData');
    if (sender.name.length > 28) return this.answer(res, 3, 'badData');
    if (!b.subscribers.has(receiver)) return this.answer(res, 6, 'notSubscribed');
    let text: string;
    if (m.type === 'text' && typeof m.text === 'string' && m.text.length <= 7000) text = m.text;
    else if (m.type === 'picture' && typeof m.media === 'string')
      text = `[photo]${m.text ? ` ${String(m.text)}` : ''}`;
    else if (
      (m.type === 'video' || m.type === 'file') &&
      typeof m.media === 'string' &&
      typeof m.size === 'number'
    )
      text = `[${m.type}${m.file_name ? ` ${String(m.file_name)}` : ''}]`;
    else if (m.type === 'location' && typeof (m.location as { lat?: unknown })?.lat === 'number')
      text = `[location ${(m.location as { lat: number }).lat}, ${(m.location as { lon: number }).lon}]`;
    else if (
      m.type === 'contact' &&
      typeof (m.contact as { phone_number?: unknown })?.phone_number === 'string'
    )
      text = `[contact ${(m.contact as { name: string }).name} ${(m.contact as { phone_number: string }).phone_number}]`;
    else return this.answer(res, 3, 'badData');
    const line = this.record(b, receiver, text, 'sent');
    line.request = m;
    this.answer(res, 0, 'ok', { message_token: line.token, billing_status: 1 });
    // The customer's phone receives it.
    line.status = 'delivered';
    void this.enqueue(b, 'delivered', { user_id: receiver }, line.token);
  }
}
