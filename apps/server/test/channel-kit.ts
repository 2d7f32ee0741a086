import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../src/infra/db/schema.ts';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';
import type { Session, TestApp } from './test-app.ts';

/**
 * The helpers every channel suite needs (the adapter contract suite and the per-provider e2e suites):
 * act as a signed-in user, count rows, read conversations and messages, reply.
 */
export interface ChannelKit {
  as(s: Session, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  count(table: CountedTable): Promise<number>;
  conversations(): Promise<ConversationItem[]>;
  messagesOf(conversationId: string): Promise<MessageItem[]>;
  /** An operator's reply; answers the API's response (202 when accepted). */
  reply(conversationId: string, text: string, clientMessageId?: string): Promise<LightMyRequestResponse>;
  /** The business's system posting to an API channel's webhook, signed with the channel's secret. */
  apiWebhook(channel: { id: string; secret: string }, body: unknown): Promise<LightMyRequestResponse>;
  /** A customer (named by their external id) writing on an API channel; returns once the worker ran. */
  inbound(channel: { id: string; secret: string }, contact: string, text: string): Promise<void>;
}

export type CountedTable = keyof Database;

export interface ConversationItem {
  id: string;
  channel: { id: string; type: string; name: string };
  contact: { id: string; name: string | null };
  [k: string]: unknown;
}

export interface MessageItem {
  id: string;
  direction: 'in' | 'out';
  contentKind: string;
  text: string | null;
  deliveryStatus: string | null;
  providerMessageId: string | null;
  error: { code: string; message: string } | null;
  attachments: unknown[];
  [k: string]: unknown;
}

/** `host`: the Host header a browser would send (webhook URLs are built from it when PUBLIC_URL is unset). */
export function channelKit(t: TestApp, host?: string): ChannelKit {
  let replies = 0;
  let events = 0;
  const as: ChannelKit['as'] = (s, method, url, body) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(host ? { host } : {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  const apiWebhook: ChannelKit['apiWebhook'] = (channel, body) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/webhooks/api/${channel.id}`,
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(channel.secret, raw),
      },
      payload: raw,
    });
  };
  return {
    as,
    async count(table) {
      const r = await t.ctx.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async conversations() {
      return (await as(t.admin, 'GET', '/api/v1/conversations')).json().items;
    },
    async messagesOf(conversationId) {
      return (await as(t.admin, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json().items;
    },
    reply(conversationId, text, clientMessageId) {
      replies++;
      return as(t.admin, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
        text,
        clientMessageId: clientMessageId ?? `kit-reply-${replies}-${Math.random().toString(36).slice(2, 10)}`,
      });
    },
    apiWebhook,
    async inbound(channel, contact, text) {
      const n = ++events;
      const res = await apiWebhook(channel, {
        eventId: `kit-evt-${n}-${Math.random().toString(36).slice(2, 10)}`,
        contact: { externalId: contact, name: contact },
        message: { externalId: `kit-msg-${n}-${Math.random().toString(36).slice(2, 10)}`, text },
      });
      if (res.statusCode >= 300) throw new Error(`inbound: ${res.statusCode} ${res.body}`);
      await t.drainJobs();
    },
  };
}

export interface ProviderRequest {
  method: string;
  /** Path and query, e.g. `/bot123:abc/sendMessage`. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ProviderAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * A provider's API over real HTTP on 127.0.0.1: every request is answered by `answer` (a working
 * provider) unless it is a message send and a failure is scripted for the next one.
 */
export class ScriptedProvider {
  readonly requests: ProviderRequest[] = [];
  /** Answers for the next sends, consumed in order. */
  readonly sendScript: ProviderAnswer[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly answer: (req: ProviderRequest, sendNo: number) => ProviderAnswer,
    private readonly isSend: (req: ProviderRequest) => boolean,
  ) {}

  /** The sends received so far (scripted failures included). */
  sends(): ProviderRequest[] {
    return this.requests.filter((r) => this.isSend(r));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ProviderRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(r);
      const send = this.isSend(r);
      const a = (send ? this.sendScript.shift() : undefined) ?? this.answer(r, this.sends().length);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body);
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): ProviderAnswer => ({
  status,
  body: JSON.stringify(body),
  ...(headers ? { headers } : {}),
});
