import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signVonageWebhook } from '../modules/channels/vonage/vonage-jwt.ts';
import { SandboxServer, sendJson } from './http-kit.ts';
import type { ChatLine } from './whatsapp-sandbox.ts';

/**
 * A local Vonage Messages API (SMS channel) for tests and the demo: `POST /v1/messages` with HTTP Basic
 * apiKey:apiSecret answering 202 `{message_uuid}` or RFC 7807 problem details (401, 422, 429...), and the
 * phone network: customers' texts arrive at the application's Inbound URL, statuses (`submitted`,
 * `delivered`; `undeliverable` / `rejected` with an error for numbers that cannot receive) at its Status
 * URL, every webhook signed with a JWT (HS256, the account's signature secret) carrying `payload_hash`.
 *
 * Deliberate differences: one account per key, no pricing beyond a fixed `usage`, no other channels.
 */

export interface VonageProblem {
  status: number;
  title: string;
  detail: string;
}

interface Line extends ChatLine {
  uuid: string;
  to: string;
  fromNumber: string;
}

interface Account {
  apiKey: string;
  apiSecret: string;
  signatureSecret: string;
  numbers: Set<string>;
  inboundUrl: string | null;
  statusUrl: string | null;
  failures: VonageProblem[];
  /** Numbers whose handset never receives: sends become `undeliverable`. */
  unreachable: Set<string>;
  /** Numbers the carrier refuses: sends become `rejected`. */
  barred: Set<string>;
  lines: Line[];
}

export class VonageSandbox {
  private readonly accounts = new Map<string, Account>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private chain: Promise<void> = Promise.resolve();
  readonly webhookLog: { url: string; status: number; body: string }[] = [];

  get url(): string {
    return this.server.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  async stop(): Promise<void> {
    await this.settle();
    await this.server.close();
  }

  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  /** An account with its credentials as the dashboard shows them, and one virtual number. */
  createAccount(number: string): { apiKey: string; apiSecret: string; signatureSecret: string } {
    const a: Account = {
      apiKey: randomBytes(4).toString('hex'),
      apiSecret: randomBytes(8).toString('base64url'),
      signatureSecret: randomBytes(24).toString('base64url'),
      numbers: new Set([number]),
      inboundUrl: null,
      statusUrl: null,
      failures: [],
      unreachable: new Set(),
      barred: new Set(),
      lines: [],
    };
    this.accounts.set(a.apiKey, a);
    return { apiKey: a.apiKey, apiSecret: a.apiSecret, signatureSecret: a.signatureSecret };
  }

  /** What an admin types into the application's Inbound URL and Status URL. */
  setWebhooks(apiKey: string, inboundUrl: string, statusUrl = inboundUrl): void {
    const a = this.account(apiKey);
    a.inboundUrl = inboundUrl;
    a.statusUrl = statusUrl;
  }

  failNext(apiKey: string, p: VonageProblem): void {
    this.account(apiKey).failures.push(p);
  }

  markUnreachable(apiKey: string, number: string): void {
    this.account(apiKey).unreachable.add(number);
  }

  markBarred(apiKey: string, number: string): void {
    this.account(apiKey).barred.add(number);
  }

  /** Texts the business sent to this customer, with their last status. */
  sentTo(apiKey: string, customer: string): Line[] {
    return this.account(apiKey).lines.filter((l) => l.from === 'business' && l.to === customer);
  }

  history(apiKey: string, customer: string): ChatLine[] {
    return this.account(apiKey)
      .lines.filter((l) => l.to === customer || (l.from === 'customer' && l.fromNumber === customer))
      .map(({ id, from, text, at, status }) => ({ id, from, text, at, ...(status ? { status } : {}) }));
  }

  /** A customer texts the business number: posted, signed, to the Inbound URL. */
  async customerTexts(apiKey: string, m: { from: string; to: string; text: string }): Promise<number> {
    const a = this.account(apiKey);
    if (!a.numbers.has(m.to)) throw new Error(`${m.to} is not a number of ${apiKey}`);
    const uuid = randomUUID();
    a.lines.push({
      id: uuid,
      uuid,
      to: m.to,
      fromNumber: m.from,
      from: 'customer',
      text: m.text,
      at: Date.now(),
    });
    if (!a.inboundUrl) return 0;
    const word = m.text.trim().split(/\s+/)[0] ?? '';
    return (
      await this.enqueue(a, a.inboundUrl, {
        channel: 'sms',
        message_uuid: uuid,
        to: m.to,
        from: m.from,
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        text: m.text,
        sms: {
          num_messages: String(Math.max(1, Math.ceil(m.text.length / 160))),
          keyword: word.toUpperCase(),
          count_total: '1',
        },
        usage: { price: '0.0057', currency: 'EUR' },
        message_type: 'text',
        context_status: 'none',
      })
    ).status;
  }

  private account(apiKey: string): Account {
    const a = this.accounts.get(apiKey);
    if (!a) throw new Error(`unknown Vonage account ${apiKey}`);
    return a;
  }

  private enqueue(a: Account, url: string, payload: Record<string, unknown>): Promise<{ status: number }> {
    const run = this.chain.then(() => this.post(a, url, payload));
    this.chain = run.then(() => undefined);
    return run;
  }

  private async post(a: Account, url: string, payload: Record<string, unknown>): Promise<{ status: number }> {
    const body = JSON.stringify(payload);
    const token = signVonageWebhook(a.signatureSecret, body, {
      api_key: a.apiKey,
      application_id: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
    });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const text = await res.text();
      this.webhookLog.push({ url, status: res.status, body: text });
      return { status: res.status };
    } catch (err) {
      this.webhookLog.push({ url, status: 0, body: (err as Error).message });
      return { status: 0 };
    }
  }

  private problem(res: ServerResponse, p: VonageProblem): void {
    sendJson(res, p.status, {
      type: `https://developer.vonage.com/api-errors/messages#${p.status}`,
      title: p.title,
      detail: p.detail,
      instance: randomUUID(),
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) {
    if (url.pathname !== '/v1/messages' || req.method !== 'POST')
      return this.problem(res, {
        status: 404,
        title: 'Not Found',
        detail: 'The requested resource does not exist',
      });
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const [key, secret] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    const a = key ? this.accounts.get(key) : undefined;
    if (!a || a.apiSecret !== secret)
      return this.problem(res, {
        status: 401,
        title: 'Unauthorized',
        detail: 'You did not provide correct credentials.',
      });
    const scripted = a.failures.shift();
    if (scripted) return this.problem(res, scripted);
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.problem(res, {
        status: 400,
        title: 'Bad Request',
        detail: 'The request body is not valid JSON.',
      });
    }
    const invalid = (detail: string) => this.problem(res, { status: 422, title: 'Invalid params', detail });
    if (b.channel !== 'sms' || b.message_type !== 'text')
      return invalid('Only channel sms with message_type text is supported here.');
    const to = String(b.to ?? '');
    const from = String(b.from ?? '');
    const text = typeof b.text === 'string' ? b.text : '';
    if (!/^[1-9]\d{6,14}$/.test(to))
      return invalid('The `to` parameter must be a number in E.164 format without +.');
    if (!a.numbers.has(from)) return invalid('The `from` parameter is not a number of this account.');
    if (!text || text.length > 1000)
      return invalid('The `text` parameter must be 1 to 1000 characters long.');
    const uuid = randomUUID();
    const line: Line = {
      id: uuid,
      uuid,
      to,
      fromNumber: from,
      from: 'business',
      text,
      at: Date.now(),
      status: 'submitted',
    };
    a.lines.push(line);
    sendJson(res, 202, { message_uuid: uuid });
    this.statuses(a, line, typeof b.client_ref === 'string' ? b.client_ref : undefined);
  }

  /** The status webhooks of one message, in order. */
  private statuses(a: Account, line: Line, clientRef: string | undefined): void {
    if (!a.statusUrl) return;
    const steps: { status: string; error?: { type: string; title: string; detail: string } }[] = [
      { status: 'submitted' },
    ];
    if (a.barred.has(line.to))
      steps.push({
        status: 'rejected',
        error: {
          type: 'https://developer.vonage.com/api-errors/messages#1250',
          title: 'Unroutable',
          detail: 'The number is not routable by any carrier.',
        },
      });
    else if (a.unreachable.has(line.to))
      steps.push({
        status: 'undeliverable',
        error: {
          type: 'https://developer.vonage.com/api-errors/messages#1320',
          title: 'Absent Subscriber',
          detail: 'The handset could not be reached.',
        },
      });
    else steps.push({ status: 'delivered' });
    for (const s of steps) {
      void this.enqueue(a, a.statusUrl, {
        message_uuid: line.uuid,
        to: line.to,
        from: line.fromNumber,
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        status: s.status,
        ...(s.error ? { error: s.error } : {}),
        usage: { currency: 'EUR', price: '0.0333' },
        channel: 'sms',
        ...(clientRef ? { client_ref: clientRef } : {}),
      }).then(() => {
        line.status = s.status;
      });
    }
  }
}
