import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxServer, sendBytes, sendJson } from './http-kit.ts';
import {
  type GraphErrorScript,
  MetaWebhookPoster,
  bearerOf,
  metaJson,
  metaSubscribe,
  numericId,
  sendGraphError,
} from './meta-graph-kit.ts';
import type { ChatLine } from './whatsapp-sandbox.ts';

/**
 * A local Messenger Platform and Instagram Messaging server for tests and the demo. It answers the Graph
 * calls a connected channel makes (`GET /me`, `POST /me/subscribed_apps`, the Send API `POST /me/messages`
 * or `/<id>/messages`, the Attachment Upload API `POST /me/message_attachments`) with Meta's shapes and
 * error envelope, enforces the 24-hour window (and 7 days with the HUMAN_AGENT tag where the app has the
 * permission), and delivers customers' messages, edits, reactions, unsends, deliveries, reads and the
 * echoes of every business message as webhooks signed with `X-Hub-Signature-256`, serialised the way
 * Meta does. A Page's own inbox (a person answering outside any app) can write too.
 */

export type MetaKind = 'messenger' | 'instagram';

/** The Page inbox app that echoes carry when a person answered in Meta Business Suite. */
export const PAGE_INBOX_APP_ID = '263902037430900';

const WINDOW_MS = 24 * 3600_000;
const HUMAN_AGENT_MS = 7 * 24 * 3600_000;

export interface MetaCustomerMessage {
  /** The customer's page-scoped (PSID) or Instagram-scoped (IGSID) id. */
  from: string;
  /** The customer's name on the profile (Messenger: "First Last"; Instagram: name, username from it). */
  name?: string;
  text?: string;
  /** Files the customer sends; served by the sandbox's CDN. */
  attachments?: { type: 'image' | 'video' | 'audio' | 'file'; bytes: Uint8Array; mimeType: string }[];
  /** Messenger: a sticker (an image with its sticker id). */
  sticker?: boolean;
  quickReplyPayload?: string;
  /** The mid of the message this one replies to. */
  replyTo?: string;
  /** Instagram: a reply to the account's story, or a mention in the customer's own story. */
  storyReply?: { id: string; url: string };
  storyMention?: string;
  /** A shared post or reel. */
  share?: { type: 'share' | 'ig_reel'; url: string; title?: string };
}

export interface MetaSent {
  mid: string;
  to: string;
  body: Record<string, unknown>;
  at: number;
  status: 'sent' | 'delivered' | 'read';
  /** Written in the Page inbox, not sent through the API. */
  fromInbox?: boolean;
}

interface Customer {
  id: string;
  name: string | null;
  lastInboundAt: number | null;
  /** Received and sent lines of this customer's thread. */
  lines: ChatLine[];
}

interface Account {
  kind: MetaKind;
  /** Page id or Instagram professional account id. */
  id: string;
  name: string;
  token: string;
  appId: string;
  appSecret: string;
  /** The app has the Human Agent permission. */
  humanAgent: boolean;
  webhook: string | null;
  subscribedFields: string[];
  customers: Map<string, Customer>;
  sent: MetaSent[];
  attachments: Map<string, { bytes: Buffer; mime: string; type: string }>;
  failures: GraphErrorScript[];
}

export class MetaSandbox {
  private readonly accounts = new Map<string, Account>();
  private readonly cdn = new Map<string, { bytes: Buffer; mime: string }>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private readonly poster = new MetaWebhookPoster();
  private offsetMs = 0;

  constructor(private readonly baseNow: () => number = Date.now) {}

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

  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  /** Moves the sandbox's clock (past the 24-hour window, past HUMAN_AGENT's 7 days). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Back to the real time (tests sharing one sandbox start from it). */
  resetClock(): void {
    this.offsetMs = 0;
  }

  settle(): Promise<void> {
    return this.poster.settle();
  }

  get webhookLog(): { target: string; status: number; body: string }[] {
    return this.poster.log;
  }

  /** A Facebook Page with its app: what an admin copies from Meta's dashboard. */
  createPage(opts: { name?: string; humanAgent?: boolean } = {}) {
    const a = this.create('messenger', opts.name ?? 'Sandbox Page', opts.humanAgent ?? false);
    return { pageId: a.id, pageAccessToken: a.token, appSecret: a.appSecret, appId: a.appId };
  }

  /** An Instagram professional account with its Instagram-Login app. */
  createInstagramAccount(opts: { username?: string; humanAgent?: boolean } = {}) {
    const a = this.create('instagram', opts.username ?? 'sandbox.shop', opts.humanAgent ?? false);
    return { instagramAccountId: a.id, accessToken: a.token, appSecret: a.appSecret, appId: a.appId };
  }

  private create(kind: MetaKind, name: string, humanAgent: boolean): Account {
    const a: Account = {
      kind,
      id: kind === 'instagram' ? `1784${numericId().slice(0, 13)}` : numericId(),
      name,
      token: `${kind === 'instagram' ? 'IGAA' : 'EAAB'}${randomBytes(64).toString('base64url').replace(/[-_]/g, 'Q')}`,
      appId: numericId(),
      appSecret: randomBytes(16).toString('hex'),
      humanAgent,
      webhook: null,
      subscribedFields: [],
      customers: new Map(),
      sent: [],
      attachments: new Map(),
      failures: [],
    };
    this.accounts.set(a.id, a);
    return a;
  }

  /** The callback URL and verify token as saved in the app's Webhooks settings (Meta checks them first). */
  async subscribe(accountId: string, callbackUrl: string, verifyToken: string): Promise<boolean> {
    const a = this.account(accountId);
    const ok = await metaSubscribe(callbackUrl, verifyToken);
    if (ok) a.webhook = callbackUrl;
    return ok;
  }

  /** The next Graph call of this account answers this error. */
  failNext(accountId: string, e: GraphErrorScript): void {
    this.account(accountId).failures.push(e);
  }

  sent(accountId: string, to?: string): MetaSent[] {
    return this.account(accountId).sent.filter((m) => to === undefined || m.to === to);
  }

  subscribedFields(accountId: string): string[] {
    return this.account(accountId).subscribedFields;
  }

  /** Both sides of one customer's thread, oldest first (what the customer's phone shows). */
  history(accountId: string, customerId: string): ChatLine[] {
    const c = this.account(accountId).customers.get(customerId);
    return c ? [...c.lines].sort((x, y) => x.at - y.at) : [];
  }

  /** A customer id as Meta scopes it to the Page or account. */
  newCustomerId(): string {
    return numericId();
  }

  /** One customer message in its own webhook POST; resolves with its mid and the webhook's HTTP status. */
  async customerSends(accountId: string, m: MetaCustomerMessage): Promise<{ mid: string; status: number }> {
    const a = this.account(accountId);
    const c = this.customer(a, m.from);
    if (m.name) c.name = m.name;
    c.lastInboundAt = this.now();
    const mid = this.mid(a);
    const message: Record<string, unknown> = { mid };
    if (m.text !== undefined) message.text = m.text;
    const atts: Record<string, unknown>[] = [];
    for (const f of m.attachments ?? [])
      atts.push({ type: f.type, payload: { url: this.host(f.bytes, f.mimeType) } });
    if (m.sticker) {
      const url = this.host(Buffer.from('sticker'), 'image/png');
      // Meta's transition period: the sticker comes both as `sticker` and as `image`.
      atts.push(
        { type: 'sticker', payload: { url, sticker_id: 369239263222822 } },
        { type: 'image', payload: { url } },
      );
    }
    if (m.storyMention) atts.push({ type: 'story_mention', payload: { url: m.storyMention } });
    if (m.share)
      atts.push({
        type: m.share.type,
        payload: { url: m.share.url, ...(m.share.title ? { title: m.share.title } : {}) },
      });
    if (atts.length) message.attachments = atts;
    if (m.quickReplyPayload) message.quick_reply = { payload: m.quickReplyPayload };
    if (m.replyTo) message.reply_to = { mid: m.replyTo };
    if (m.storyReply) message.reply_to = { story: m.storyReply };
    const summary = [m.text, ...atts.map((x) => `[${String(x.type)}]`)].filter(Boolean).join(' ');
    c.lines.push({ id: mid, from: 'customer', text: summary, at: this.now() });
    const status = await this.deliver(a, {
      sender: { id: m.from },
      recipient: { id: a.id },
      timestamp: this.now(),
      message,
    });
    return { mid, status };
  }

  /** A button press (postback) with its payload. */
  customerPostback(accountId: string, from: string, title: string, payload: string): Promise<number> {
    const a = this.account(accountId);
    this.customer(a, from).lastInboundAt = this.now();
    return this.deliver(a, {
      sender: { id: from },
      recipient: { id: a.id },
      timestamp: this.now(),
      postback: { mid: this.mid(a), title, payload },
    });
  }

  /** Messenger `message_edits`: the customer changes the text of one of their messages. */
  customerEdits(accountId: string, from: string, mid: string, text: string, numEdit = 1): Promise<number> {
    const a = this.account(accountId);
    const line = a.customers.get(from)?.lines.find((l) => l.id === mid);
    if (line) line.text = text;
    return this.deliver(a, {
      sender: { id: from },
      recipient: { id: a.id },
      timestamp: this.now(),
      message_edit: { mid, text, num_edit: numEdit },
    });
  }

  /** Instagram unsend: `message.is_deleted`. */
  customerUnsends(accountId: string, from: string, mid: string): Promise<number> {
    const a = this.account(accountId);
    const c = a.customers.get(from);
    if (c) c.lines = c.lines.filter((l) => l.id !== mid);
    return this.deliver(a, {
      sender: { id: from },
      recipient: { id: a.id },
      timestamp: this.now(),
      message: { mid, is_deleted: true },
    });
  }

  customerReacts(accountId: string, from: string, mid: string, emoji: string | null): Promise<number> {
    const a = this.account(accountId);
    return this.deliver(a, {
      sender: { id: from },
      recipient: { id: a.id },
      timestamp: this.now(),
      reaction: emoji
        ? { mid, action: 'react', emoji, reaction: emoji === '\u2764\uFE0F' ? 'love' : 'other' }
        : { mid, action: 'unreact' },
    });
  }

  /**
   * The customer opens the thread: Messenger sends `read.watermark` (everything up to now), Instagram
   * `read.mid` (the newest business message).
   */
  async customerReads(accountId: string, from: string): Promise<void> {
    const a = this.account(accountId);
    const mine = a.sent.filter((m) => m.to === from);
    if (mine.length === 0) return;
    for (const m of mine) m.status = 'read';
    this.syncLines(a, from);
    const read = a.kind === 'messenger' ? { watermark: this.now() } : { mid: mine[mine.length - 1]!.mid };
    await this.deliver(a, { sender: { id: from }, recipient: { id: a.id }, timestamp: this.now(), read });
  }

  /** A person answers in the Page inbox (or the Instagram app): only the echo reaches apps. */
  pageInboxSends(accountId: string, to: string, text: string): Promise<number> {
    const a = this.account(accountId);
    const mid = this.mid(a);
    const sent: MetaSent = {
      mid,
      to,
      body: { message: { text } },
      at: this.now(),
      status: 'sent',
      fromInbox: true,
    };
    a.sent.push(sent);
    this.customer(a, to).lines.push({ id: mid, from: 'business', text, at: sent.at, status: 'sent' });
    return this.deliver(a, {
      sender: { id: a.id },
      recipient: { id: to },
      timestamp: sent.at,
      message: {
        mid,
        is_echo: true,
        ...(a.kind === 'messenger' ? { app_id: Number(PAGE_INBOX_APP_ID) } : {}),
        text,
      },
    });
  }

  private account(id: string): Account {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`unknown Page or Instagram account ${id}`);
    return a;
  }

  private customer(a: Account, id: string): Customer {
    let c = a.customers.get(id);
    if (!c) {
      c = { id, name: null, lastInboundAt: null, lines: [] };
      a.customers.set(id, c);
    }
    return c;
  }

  private mid(a: Account): string {
    const raw = randomBytes(48).toString('base64url');
    return a.kind === 'messenger' ? `m_${raw}` : `aWdfZAG1faXRlbToxOklH${raw}`;
  }

  /** Serves customer media like Meta's CDN (no token needed; the link is the secret). */
  private host(bytes: Uint8Array, mime: string): string {
    const id = randomBytes(12).toString('hex');
    this.cdn.set(id, { bytes: Buffer.from(bytes), mime });
    return `${this.url}/cdn/${id}?oh=${randomBytes(8).toString('hex')}`;
  }

  private syncLines(a: Account, to: string): void {
    const c = this.customer(a, to);
    for (const m of a.sent) {
      const line = c.lines.find((l) => l.id === m.mid);
      if (line) line.status = m.status;
    }
  }

  /** One messaging item in its own signed webhook POST. */
  private deliver(a: Account, item: Record<string, unknown>): Promise<number> {
    const body = metaJson({
      object: a.kind === 'messenger' ? 'page' : 'instagram',
      entry: [{ id: a.id, time: this.now(), messaging: [item] }],
    });
    return this.poster.enqueue({ key: a.id, url: a.webhook, appSecret: a.appSecret }, body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const cdn = /^\/cdn\/([0-9a-f]+)$/.exec(url.pathname);
    if (cdn && req.method === 'GET') {
      const f = this.cdn.get(cdn[1]!);
      if (!f) return sendJson(res, 404, { error: 'URL signature expired' });
      return sendBytes(res, f.bytes, f.mime);
    }
    const m = /^\/v\d+\.\d+\/([^/]+)(\/messages|\/message_attachments|\/subscribed_apps)?$/.exec(
      url.pathname,
    );
    const token = bearerOf(req, url);
    const a = [...this.accounts.values()].find((x) => x.token === token);
    if (!a) {
      return sendGraphError(res, {
        httpStatus: 401,
        code: 190,
        message: 'Invalid OAuth access token - Cannot parse access token',
      });
    }
    const profileOf = m && !m[2] && req.method === 'GET' ? a.customers.get(m[1]!) : undefined;
    if (profileOf) return this.profile(res, a, profileOf);
    if (!m || (m[1] !== 'me' && m[1] !== a.id)) {
      return sendGraphError(res, {
        code: 100,
        subcode: 33,
        message: `Unsupported ${req.method} request. Object with ID '${m?.[1] ?? url.pathname}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
    }
    const scripted = m[2] === '/messages' || m[2] === '/message_attachments' ? a.failures.shift() : undefined;
    if (scripted) return sendGraphError(res, scripted);
    if (!m[2] && req.method === 'GET') {
      return sendJson(
        res,
        200,
        a.kind === 'messenger'
          ? { id: a.id, name: a.name }
          : { user_id: a.id, username: a.name, id: numericId() },
      );
    }
    if (m[2] === '/subscribed_apps' && req.method === 'POST') {
      a.subscribedFields = (url.searchParams.get('subscribed_fields') ?? '').split(',').filter(Boolean);
      return sendJson(res, 200, { success: true });
    }
    if (m[2] === '/message_attachments' && req.method === 'POST' && a.kind === 'messenger') {
      return this.upload(req, res, a, body);
    }
    if (m[2] === '/messages' && req.method === 'POST') return this.send(res, a, body);
    return sendGraphError(res, { code: 100, message: `Unsupported ${req.method} request` });
  }

  /** User Profile API: Messenger's first and last name, Instagram's name and username. */
  private profile(res: ServerResponse, a: Account, c: Customer) {
    if (!c.name) {
      return sendGraphError(res, {
        code: 100,
        subcode: 2018218,
        message: '(#100) No profile available for this user.',
      });
    }
    if (a.kind === 'messenger') {
      const [first, ...rest] = c.name.split(' ');
      return sendJson(res, 200, { first_name: first, last_name: rest.join(' '), id: c.id });
    }
    return sendJson(res, 200, {
      name: c.name,
      username: c.name.toLowerCase().replace(/[^a-z0-9]+/g, '.'),
      id: c.id,
    });
  }

  /** Attachment Upload API: multipart `message` (type, is_reusable) + `filedata`. */
  private async upload(req: IncomingMessage, res: ServerResponse, a: Account, raw: Buffer) {
    const invalid = (details: string) =>
      sendGraphError(res, { code: 100, message: '(#100) Invalid parameter', details });
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
    } catch {
      return invalid('The upload must be multipart/form-data');
    }
    let type: unknown;
    try {
      type = (JSON.parse(String(form.get('message'))) as { attachment?: { type?: unknown } }).attachment
        ?.type;
    } catch {
      return invalid('message must be JSON naming attachment.type');
    }
    const file = form.get('filedata');
    if (!['image', 'video', 'audio', 'file'].includes(String(type)) || !file || typeof file === 'string') {
      return invalid('Upload the file as "filedata" with message.attachment.type image|video|audio|file');
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length === 0 || bytes.length > 25 * 1024 * 1024)
      return invalid('Files must be 1 byte to 25 MB');
    const id = numericId();
    a.attachments.set(id, { bytes, mime: file.type, type: String(type) });
    sendJson(res, 200, { attachment_id: id });
  }

  private send(res: ServerResponse, a: Account, raw: Buffer) {
    const invalid = (message: string, code = 100, subcode?: number) =>
      sendGraphError(res, { code, message, ...(subcode ? { subcode } : {}) });
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw.toString('utf8'));
    } catch {
      return invalid('(#100) Invalid parameter');
    }
    const to = (b.recipient as { id?: unknown } | undefined)?.id;
    const c = typeof to === 'string' ? a.customers.get(to) : undefined;
    if (!c) return invalid('(#100) No matching user found', 100, 2018001);
    if (b.sender_action) return sendJson(res, 200, { recipient_id: c.id });
    const type = b.messaging_type ?? 'RESPONSE';
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(type)))
      return invalid('(#100) Invalid messaging_type');
    const since = c.lastInboundAt === null ? Number.POSITIVE_INFINITY : this.now() - c.lastInboundAt;
    const windowSubcode = a.kind === 'instagram' ? 2534022 : 2018278;
    if (type === 'MESSAGE_TAG') {
      if (b.tag !== 'HUMAN_AGENT') return invalid('(#100) Invalid tag', 100);
      if (!a.humanAgent) return invalid('(#10) This app lacks the Human Agent permission', 10, 2018278);
      if (since > HUMAN_AGENT_MS) {
        return invalid('(#10) This message is sent outside of allowed window.', 10, windowSubcode);
      }
    } else if (since > WINDOW_MS) {
      return invalid('(#10) This message is sent outside of allowed window.', 10, windowSubcode);
    }
    const msg = b.message as Record<string, unknown> | undefined;
    if (!msg || typeof msg !== 'object') return invalid('(#100) param message must be non-empty.');
    let summary: string;
    if (typeof msg.text === 'string') {
      if (msg.text.length === 0) return invalid('(#100) param message[text] must be non-empty.');
      if (a.kind === 'messenger' && msg.text.length > 2000) {
        return invalid('(#100) Length of param message[text] must be less than or equal to 2000');
      }
      if (a.kind === 'instagram' && Buffer.byteLength(msg.text) > 1000) {
        return invalid('(#100) Length of param message[text] must be less than or equal to 1000 bytes');
      }
      summary = msg.text;
    } else if (msg.attachment && typeof msg.attachment === 'object') {
      const att = msg.attachment as { type?: unknown; payload?: { url?: unknown; attachment_id?: unknown } };
      if (!['image', 'video', 'audio', 'file'].includes(String(att.type))) {
        return invalid('(#100) Invalid attachment type');
      }
      const id = att.payload?.attachment_id;
      if (id !== undefined && (a.kind !== 'messenger' || !a.attachments.has(String(id)))) {
        return invalid('(#100) Invalid attachment_id');
      }
      if (
        id === undefined &&
        (typeof att.payload?.url !== 'string' || !/^https?:\/\//.test(att.payload.url))
      ) {
        return invalid('(#100) param message[attachment][payload][url] must be a valid URL');
      }
      summary = `[${String(att.type)}]`;
    } else {
      return invalid('(#100) Must send either message text or an attachment');
    }
    const sent: MetaSent = { mid: this.mid(a), to: c.id, body: b, at: this.now(), status: 'sent' };
    a.sent.push(sent);
    c.lines.push({ id: sent.mid, from: 'business', text: summary, at: sent.at, status: 'sent' });
    sendJson(res, 200, { recipient_id: c.id, message_id: sent.mid });
    // The echo of every send, then (Messenger) the delivery receipt, as Meta delivers them.
    const metadata = typeof msg.metadata === 'string' ? { metadata: msg.metadata } : {};
    void this.deliver(a, {
      sender: { id: a.id },
      recipient: { id: c.id },
      timestamp: sent.at,
      message: {
        mid: sent.mid,
        is_echo: true,
        ...(a.kind === 'messenger' ? { app_id: Number(a.appId), ...metadata } : {}),
        ...(msg.text ? { text: msg.text } : { attachments: [msg.attachment] }),
      },
    });
    if (a.kind === 'messenger') {
      sent.status = 'delivered';
      this.syncLines(a, c.id);
      void this.deliver(a, {
        sender: { id: c.id },
        recipient: { id: a.id },
        delivery: { mids: [sent.mid], watermark: this.now() },
      });
    }
  }
}
