import { createHash, createHmac, randomBytes } from 'node:crypto';
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

export { type GraphErrorScript, metaJson } from './meta-graph-kit.ts';

/**
 * A local WhatsApp Cloud API (Graph) server for tests and the demo: `POST /<version>/<phone-number-id>/messages`
 * answering like Graph (message ids, the error envelope with Cloud API codes), `GET /<version>/<media-id>`
 * with short-lived media URLs that need the bearer token, `GET /<version>/<phone-number-id>` for the
 * number's profile, the webhook subscription handshake, and customers whose messages and the statuses of
 * the business's messages (sent, delivered, read, failed with 131047 outside the 24-hour window) arrive as
 * webhooks signed with `X-Hub-Signature-256`, serialised the way Meta does (non-ASCII and `/` escaped).
 * The business can upload media (`POST /<version>/<phone-number-id>/media`, multipart with `file`, `type`
 * and `messaging_product`) and send it by the answered id.
 */

export type WaContent =
  | { text: string }
  | { image: Uint8Array; mimeType?: string; caption?: string }
  | { video: Uint8Array; mimeType?: string; caption?: string }
  | { audio: Uint8Array; mimeType?: string; voice?: boolean }
  | { document: Uint8Array; filename: string; mimeType?: string; caption?: string }
  | { sticker: Uint8Array; animated?: boolean }
  | { location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { contacts: { name: string; phones: string[] }[] }
  | { buttonReply: { id: string; title: string; to: string } }
  | { listReply: { id: string; title: string; description?: string; to: string } }
  | { button: { text: string; payload: string; to: string } }
  | { reaction: { messageId: string; emoji: string } }
  | { unsupported: true };

export interface WaCustomerMessage {
  /** The customer's wa_id (digits, no +). */
  from: string;
  name?: string;
  content: WaContent;
  /** wamid this message quotes. */
  replyTo?: string;
}

/** A customer message as delivered: its wamid, the webhook's HTTP status, and the message object sent. */
export interface InboundResult {
  id: string;
  status: number;
  message: Record<string, unknown>;
}

export interface SentMessage {
  id: string;
  to: string;
  type: string;
  body: Record<string, unknown>;
  at: number;
  status: 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';
}

interface Customer {
  waId: string;
  name: string;
  lastInboundAt: number | null;
}

interface SandboxTemplate {
  name: string;
  language: string;
  bodyParameters: number;
  /** Body text as Meta shows it (`{{1}}` placeholders); made up from the count when not given. */
  body?: string;
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
}

interface PhoneNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  webhook: string | null;
  templates: Map<string, SandboxTemplate>;
  customers: Map<string, Customer>;
  sent: SentMessage[];
  received: { id: string; from: string; at: number; summary: string }[];
  failures: GraphErrorScript[];
}

/** One line of a customer's chat as their phone shows it. */
export interface ChatLine {
  id: string;
  from: 'customer' | 'business';
  text: string;
  at: number;
  /** Business messages: accepted, sent, delivered, read or failed. */
  status?: string;
  /** The reply buttons or list rows of an interactive message, as the phone draws them. */
  buttons?: { id: string; title: string }[];
}

/** The choices of an outbound `interactive` message: reply buttons or list rows. */
export function interactiveChoices(b: Record<string, unknown>): { id: string; title: string }[] {
  if (b.type !== 'interactive') return [];
  const i = b.interactive as {
    type?: string;
    action?: {
      buttons?: { reply?: { id: string; title: string } }[];
      sections?: { rows?: { id: string; title: string }[] }[];
    };
  };
  if (i.type === 'button') return (i.action?.buttons ?? []).flatMap((x) => (x.reply ? [x.reply] : []));
  if (i.type === 'list') return (i.action?.sections ?? []).flatMap((x) => x.rows ?? []);
  return [];
}

/** Why an outbound interactive message would be refused (the Cloud API's documented limits), or null. */
function interactiveError(obj: Record<string, unknown>): string | null {
  const body = (obj.body as { text?: unknown } | undefined)?.text;
  if (typeof body !== 'string' || body.length === 0) return "Parameter 'interactive.body.text' is required";
  const action = (obj.action ?? {}) as {
    button?: unknown;
    buttons?: { type?: string; reply?: { id?: unknown; title?: unknown } }[];
    sections?: { title?: unknown; rows?: { id?: unknown; title?: unknown }[] }[];
  };
  const str = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
  if (obj.type === 'button') {
    if (body.length > 1024) return 'Param interactive.body.text must be at most 1024 characters long.';
    const buttons = action.buttons ?? [];
    if (buttons.length < 1 || buttons.length > 3)
      return 'Param interactive.action.buttons must have 1 to 3 items.';
    for (const x of buttons) {
      if (x.type !== 'reply' || !str(x.reply?.id, 256))
        return 'Each button needs type "reply" and an id of up to 256 characters.';
      if (!str(x.reply?.title, 20)) return 'Button title must be 1 to 20 characters long.';
    }
    if (new Set(buttons.map((x) => x.reply?.id)).size !== buttons.length) return 'Button ids must be unique.';
    return null;
  }
  if (obj.type === 'list') {
    if (body.length > 4096) return 'Param interactive.body.text must be at most 4096 characters long.';
    if (!str(action.button, 20)) return 'Param interactive.action.button must be 1 to 20 characters long.';
    const sections = action.sections ?? [];
    if (sections.length < 1 || sections.length > 10)
      return 'Param interactive.action.sections must have 1 to 10 items.';
    if (sections.length > 1 && sections.some((x) => !str(x.title, 24)))
      return 'Each section needs a title when there are several.';
    const rows = sections.flatMap((x) => x.rows ?? []);
    if (rows.length < 1 || rows.length > 10) return 'A list has 1 to 10 rows in total.';
    for (const r of rows) {
      if (!str(r.id, 200)) return 'Row id must be 1 to 200 characters long.';
      if (!str(r.title, 24)) return 'Row title must be 1 to 24 characters long.';
    }
    return null;
  }
  return `Unsupported interactive type ${String(obj.type)}`;
}

/** A message body (inbound object or outbound request) as one readable line. */
function summarise(b: Record<string, unknown>): string {
  const type = typeof b.type === 'string' ? b.type : 'text';
  const obj = (b[type] ?? {}) as Record<string, unknown>;
  if (type === 'text') return String(obj.body ?? '');
  if (type === 'template') return `[template ${String(obj.name)}]`;
  if (type === 'reaction') return `[reaction ${String(obj.emoji ?? '')}]`;
  if (type === 'interactive') {
    const i = obj as {
      type?: string;
      body?: { text?: string };
      button_reply?: { title?: string };
      list_reply?: { title?: string };
    };
    if (i.button_reply || i.list_reply) return String((i.button_reply ?? i.list_reply)?.title ?? '');
    return String(i.body?.text ?? '');
  }
  const caption = typeof obj.caption === 'string' ? ` ${obj.caption}` : '';
  return `[${type}]${caption}`;
}

interface Media {
  id: string;
  owner: string;
  bytes: Buffer;
  mime: string;
  sha256: string;
}

const WINDOW_MS = 24 * 3600_000;

const MAX_UPLOAD = 100 * 1024 * 1024;

/** Types the Cloud API accepts for upload and per message type, with each type's size limit. */
const UPLOAD_TYPES: { type: string; mime: RegExp; max: number }[] = [
  { type: 'image', mime: /^image\/(jpeg|png)$/, max: 5 * 1024 * 1024 },
  { type: 'video', mime: /^video\/(mp4|3gpp)$/, max: 16 * 1024 * 1024 },
  { type: 'audio', mime: /^audio\/(aac|amr|mpeg|mp4|ogg)$/, max: 16 * 1024 * 1024 },
  { type: 'sticker', mime: /^image\/webp$/, max: 500 * 1024 },
  {
    type: 'document',
    mime: /^(text\/plain|application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\..+))$/,
    max: 100 * 1024 * 1024,
  },
];
const MEDIA_URL_TTL_S = 300;

export class WhatsAppSandbox {
  private readonly numbers = new Map<string, PhoneNumber>();
  private readonly media = new Map<string, Media>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private readonly linkSecret = randomBytes(16);
  private readonly lastBody = new Map<string, string>();
  private offsetMs = 0;
  private readonly baseNow: () => number;
  /** Webhook posts run one after another, in the order they were caused. */
  private readonly poster = new MetaWebhookPoster();

  constructor(opts: { now?: () => number } = {}) {
    this.baseNow = opts.now ?? Date.now;
  }

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

  /** Moves the sandbox's clock (e.g. past the 24-hour customer-service window). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** A business phone number with its app: credentials as an admin would copy them from Meta. */
  createNumber(opts: { displayPhoneNumber?: string; verifiedName?: string } = {}): {
    phoneNumberId: string;
    wabaId: string;
    accessToken: string;
    appSecret: string;
  } {
    const n: PhoneNumber = {
      phoneNumberId: numericId(),
      displayPhoneNumber: opts.displayPhoneNumber ?? '15550001234',
      verifiedName: opts.verifiedName ?? 'Sandbox Business',
      wabaId: numericId(),
      accessToken: `EAAG${randomBytes(96).toString('base64url').replace(/[-_]/g, 'Z')}`,
      appSecret: randomBytes(16).toString('hex'),
      webhook: null,
      templates: new Map(),
      customers: new Map(),
      sent: [],
      received: [],
      failures: [],
    };
    this.numbers.set(n.phoneNumberId, n);
    return {
      phoneNumberId: n.phoneNumberId,
      wabaId: n.wabaId,
      accessToken: n.accessToken,
      appSecret: n.appSecret,
    };
  }

  /** An approved template (name + language), with the number of {{n}} body variables. */
  addTemplate(phoneNumberId: string, t: SandboxTemplate): void {
    this.number(phoneNumberId).templates.set(`${t.name}/${t.language}`, t);
  }

  /**
   * Saves the callback URL the way Meta's dashboard does: a GET with hub.mode=subscribe, the verify
   * token and a challenge that must come back as the body.
   */
  async subscribe(phoneNumberId: string, callbackUrl: string, verifyToken: string): Promise<boolean> {
    const n = this.number(phoneNumberId);
    const ok = await metaSubscribe(callbackUrl, verifyToken);
    if (ok) n.webhook = callbackUrl;
    return ok;
  }

  /** Every webhook delivery so far: the number it was for, the HTTP status and the answer's body. */
  get webhookLog(): { phoneNumberId: string; status: number; body: string }[] {
    return this.poster.log.map((l) => ({ phoneNumberId: l.target, status: l.status, body: l.body }));
  }

  /** The bytes of media the business uploaded or a customer sent. */
  mediaBytes(mediaId: string): Buffer | null {
    return this.media.get(mediaId)?.bytes ?? null;
  }

  sent(phoneNumberId: string, to?: string): SentMessage[] {
    return this.number(phoneNumberId).sent.filter((m) => to === undefined || m.to === to);
  }

  /** The next send answers this Graph error. */
  failNext(phoneNumberId: string, e: GraphErrorScript): void {
    this.number(phoneNumberId).failures.push(e);
  }

  /** Waits until every webhook caused so far was delivered. */
  settle(): Promise<void> {
    return this.poster.settle();
  }

  /** One customer message in its own webhook POST; resolves with its wamid and the webhook's answer. */
  /**
   * The customer taps a reply button or picks a list row of one of our interactive messages: delivered
   * as `interactive.button_reply` / `list_reply`, quoting that message, like the WhatsApp app does.
   */
  async customerTaps(
    phoneNumberId: string,
    waId: string,
    messageId: string,
    choiceId: string,
  ): Promise<InboundResult> {
    const sent = this.number(phoneNumberId).sent.find((m) => m.id === messageId && m.to === waId);
    if (!sent) throw new Error(`no message ${messageId} to ${waId}`);
    const choice = interactiveChoices(sent.body).find((c) => c.id === choiceId);
    if (!choice) throw new Error(`message ${messageId} has no button ${choiceId}`);
    const list = (sent.body.interactive as { type?: string }).type === 'list';
    return this.customerSends(phoneNumberId, {
      from: waId,
      content: list
        ? { listReply: { to: messageId, id: choice.id, title: choice.title } }
        : { buttonReply: { to: messageId, id: choice.id, title: choice.title } },
    });
  }

  async customerSends(phoneNumberId: string, msg: WaCustomerMessage): Promise<InboundResult> {
    const [r] = await this.customerBatch(phoneNumberId, [msg]);
    return r!;
  }

  /** Several customer messages in one webhook POST (Meta batches). */
  async customerBatch(phoneNumberId: string, msgs: WaCustomerMessage[]): Promise<InboundResult[]> {
    const n = this.number(phoneNumberId);
    const messages = msgs.map((m) => this.inbound(n, m));
    const contacts = [...new Map(msgs.map((m) => [m.from, m])).values()].map((m) => ({
      profile: { name: this.customer(n, m.from, m.name).name },
      wa_id: m.from,
    }));
    const status = await this.enqueuePost(n, { contacts, messages });
    return messages.map((m) => ({ id: m.id as string, status, message: m }));
  }

  /**
   * The customer edits (new text) or deletes for everyone (`text` omitted) one of their earlier messages,
   * as Meta delivers it for WhatsApp Business app numbers on Cloud API: a `messages` entry of type `edit`
   * (the new version under `edit.message`) or `revoke`, naming `original_message_id`, with its own wamid.
   */
  async customerChanges(
    phoneNumberId: string,
    c: { from: string; name?: string; original: string; text?: string },
  ): Promise<InboundResult> {
    const n = this.number(phoneNumberId);
    const base = { from: c.from, id: this.wamid(), timestamp: String(Math.floor(this.now() / 1000)) };
    const message =
      c.text === undefined
        ? { ...base, type: 'revoke', revoke: { original_message_id: c.original } }
        : {
            ...base,
            type: 'edit',
            edit: {
              original_message_id: c.original,
              message: { context: { id: c.original }, type: 'text', text: { body: c.text } },
            },
          };
    const contacts = [{ profile: { name: this.customer(n, c.from, c.name).name }, wa_id: c.from }];
    const status = await this.enqueuePost(n, { contacts, messages: [message] });
    return { id: base.id, status, message };
  }

  /** The customer opens the chat: every delivered message to them becomes read. */
  async customerReads(phoneNumberId: string, waId: string): Promise<void> {
    const n = this.number(phoneNumberId);
    for (const m of n.sent) {
      if (m.to === waId && (m.status === 'delivered' || m.status === 'sent')) this.status(n, m, 'read');
    }
    await this.settle();
  }

  private number(id: string): PhoneNumber {
    const n = this.numbers.get(id);
    if (!n) throw new Error(`unknown phone number id ${id}`);
    return n;
  }

  private customer(n: PhoneNumber, waId: string, name?: string): Customer {
    let c = n.customers.get(waId);
    if (!c) {
      c = { waId, name: name ?? `Customer ${waId.slice(-4)}`, lastInboundAt: null };
      n.customers.set(waId, c);
    }
    if (name) c.name = name;
    return c;
  }

  private wamid(): string {
    return `wamid.${randomBytes(36).toString('base64')}`;
  }

  private storeMedia(n: PhoneNumber, bytes: Uint8Array, mime: string): Record<string, unknown> {
    const id = numericId();
    const buf = Buffer.from(bytes);
    const sha256 = createHash('sha256').update(buf).digest('base64');
    this.media.set(id, { id, owner: n.phoneNumberId, bytes: buf, mime, sha256 });
    return { mime_type: mime, sha256, id };
  }

  /** Both sides of one customer's chat, oldest first (what the customer's phone shows). */
  history(phoneNumberId: string, waId: string): ChatLine[] {
    const n = this.number(phoneNumberId);
    const lines: ChatLine[] = n.received
      .filter((r) => r.from === waId)
      .map((r) => ({ id: r.id, from: 'customer' as const, text: r.summary, at: r.at }));
    for (const m of n.sent) {
      if (m.to !== waId) continue;
      const buttons = interactiveChoices(m.body);
      lines.push({
        id: m.id,
        from: 'business',
        text: summarise(m.body),
        at: m.at,
        status: m.status,
        ...(buttons.length ? { buttons } : {}),
      });
    }
    return lines.sort((a, b) => a.at - b.at);
  }

  private inbound(n: PhoneNumber, m: WaCustomerMessage): Record<string, unknown> {
    const c = this.customer(n, m.from, m.name);
    c.lastInboundAt = this.now();
    const message = this.inboundMessage(n, m);
    n.received.push({ id: message.id as string, from: m.from, at: this.now(), summary: summarise(message) });
    return message;
  }

  private inboundMessage(n: PhoneNumber, m: WaCustomerMessage): Record<string, unknown> {
    const base: Record<string, unknown> = {
      from: m.from,
      id: this.wamid(),
      timestamp: String(Math.floor(this.now() / 1000)),
      ...(m.replyTo ? { context: { from: n.displayPhoneNumber, id: m.replyTo } } : {}),
    };
    const k = m.content;
    if ('text' in k) return { ...base, type: 'text', text: { body: k.text } };
    if ('image' in k) {
      const media = this.storeMedia(n, k.image, k.mimeType ?? 'image/jpeg');
      return { ...base, type: 'image', image: { ...(k.caption ? { caption: k.caption } : {}), ...media } };
    }
    if ('video' in k) {
      const media = this.storeMedia(n, k.video, k.mimeType ?? 'video/mp4');
      return { ...base, type: 'video', video: { ...(k.caption ? { caption: k.caption } : {}), ...media } };
    }
    if ('audio' in k) {
      const media = this.storeMedia(n, k.audio, k.mimeType ?? 'audio/ogg; codecs=opus');
      return { ...base, type: 'audio', audio: { ...media, voice: k.voice ?? false } };
    }
    if ('document' in k) {
      const media = this.storeMedia(n, k.document, k.mimeType ?? 'application/pdf');
      return {
        ...base,
        type: 'document',
        document: { ...(k.caption ? { caption: k.caption } : {}), filename: k.filename, ...media },
      };
    }
    if ('sticker' in k) {
      const media = this.storeMedia(n, k.sticker, 'image/webp');
      return { ...base, type: 'sticker', sticker: { ...media, animated: k.animated ?? false } };
    }
    if ('location' in k) return { ...base, type: 'location', location: k.location };
    if ('contacts' in k) {
      return {
        ...base,
        type: 'contacts',
        contacts: k.contacts.map((x) => ({
          name: { formatted_name: x.name, first_name: x.name.split(' ')[0] },
          phones: x.phones.map((phone) => ({ phone, type: 'CELL' })),
        })),
      };
    }
    if ('buttonReply' in k) {
      return {
        ...base,
        context: { from: n.displayPhoneNumber, id: k.buttonReply.to },
        type: 'interactive',
        interactive: {
          type: 'button_reply',
          button_reply: { id: k.buttonReply.id, title: k.buttonReply.title },
        },
      };
    }
    if ('listReply' in k) {
      const { to, ...reply } = k.listReply;
      return {
        ...base,
        context: { from: n.displayPhoneNumber, id: to },
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: reply },
      };
    }
    if ('button' in k) {
      return {
        ...base,
        context: { from: n.displayPhoneNumber, id: k.button.to },
        type: 'button',
        button: { payload: k.button.payload, text: k.button.text },
      };
    }
    if ('reaction' in k) {
      return {
        ...base,
        type: 'reaction',
        reaction: { message_id: k.reaction.messageId, emoji: k.reaction.emoji },
      };
    }
    return {
      ...base,
      type: 'unsupported',
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ],
    };
  }

  /** Queues one signed webhook POST of a `messages` change; resolves with the HTTP status it got. */
  private enqueuePost(n: PhoneNumber, value: Record<string, unknown>): Promise<number> {
    const body = metaJson({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: n.wabaId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: n.displayPhoneNumber, phone_number_id: n.phoneNumberId },
                ...value,
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
    return this.post(n, body);
  }

  /** Meta retries a delivery it considers failed: the last webhook body of this number, byte for byte. */
  redeliverLast(phoneNumberId: string): Promise<number> {
    const n = this.number(phoneNumberId);
    const body = this.lastBody.get(n.phoneNumberId);
    if (!body) throw new Error('nothing was delivered yet');
    return this.post(n, body);
  }

  private post(n: PhoneNumber, body: string): Promise<number> {
    this.lastBody.set(n.phoneNumberId, body);
    return this.poster.enqueue({ key: n.phoneNumberId, url: n.webhook, appSecret: n.appSecret }, body);
  }

  private status(
    n: PhoneNumber,
    m: SentMessage,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error?: { code: number; title: string; details: string },
  ): void {
    m.status = status;
    const s: Record<string, unknown> = {
      id: m.id,
      status,
      timestamp: String(Math.floor(this.now() / 1000)),
      recipient_id: m.to,
    };
    if (status === 'sent') {
      s.conversation = {
        id: createHash('sha1').update(`${n.phoneNumberId}:${m.to}`).digest('hex').slice(0, 32),
        expiration_timestamp: String(Math.floor((this.now() + WINDOW_MS) / 1000)),
        origin: { type: m.type === 'template' ? 'utility' : 'service' },
      };
      s.pricing = {
        billable: m.type === 'template',
        pricing_model: 'PMP',
        category: m.type === 'template' ? 'utility' : 'service',
        type: m.type === 'template' ? 'regular' : 'free_customer_service',
      };
    }
    if (error) {
      s.errors = [
        {
          code: error.code,
          title: error.title,
          message: error.title,
          error_data: { details: error.details },
          href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
        },
      ];
    }
    void this.enqueuePost(n, { statuses: [s] });
  }

  private graphError(res: ServerResponse, e: GraphErrorScript): void {
    sendGraphError(res, e, { messaging_product: 'whatsapp' });
  }

  private bearer(req: IncomingMessage): string | null {
    return bearerOf(req);
  }

  private authorised(req: IncomingMessage, res: ServerResponse, n: PhoneNumber | undefined): boolean {
    if (n && this.bearer(req) === n.accessToken) return true;
    this.graphError(res, {
      httpStatus: 401,
      code: 190,
      message: 'Invalid OAuth access token - Cannot parse access token',
    });
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    if (url.pathname === '/whatsapp_business/attachments/' && req.method === 'GET') {
      return this.download(req, res, url);
    }
    const tpl = /^\/v\d+\.\d+\/([^/]+)\/message_templates$/.exec(url.pathname);
    if (tpl && req.method === 'GET') return this.listTemplates(req, res, tpl[1]!);
    const m = /^\/v\d+\.\d+\/([^/]+)(\/messages|\/media)?$/.exec(url.pathname);
    if (!m) {
      return this.graphError(res, {
        httpStatus: 400,
        code: 100,
        message: 'Unsupported request - method type: ' + req.method,
      });
    }
    const id = m[1]!;
    if (m[2] === '/media' && req.method === 'POST') {
      const n = this.numbers.get(id);
      if (!this.authorised(req, res, n)) return;
      return this.uploadMedia(req, res, n!, body);
    }
    if (m[2] === '/messages' && req.method === 'POST') {
      const n = this.numbers.get(id);
      if (!this.authorised(req, res, n)) return;
      return this.sendMessage(res, n!, body);
    }
    if (!m[2] && req.method === 'GET') {
      const n = this.numbers.get(id);
      if (n) {
        if (!this.authorised(req, res, n)) return;
        return sendJson(res, 200, {
          display_phone_number: n.displayPhoneNumber,
          verified_name: n.verifiedName,
          id: n.phoneNumberId,
        });
      }
      const media = this.media.get(id);
      const owner = media ? this.numbers.get(media.owner) : undefined;
      const token = this.bearer(req);
      if (!media || !owner || token !== owner.accessToken) {
        if (![...this.numbers.values()].some((x) => x.accessToken === token)) {
          this.authorised(req, res, undefined);
          return;
        }
        return this.graphError(res, {
          code: 100,
          subcode: 33,
          message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        });
      }
      const ext = Math.floor(this.now() / 1000) + MEDIA_URL_TTL_S;
      const hash = createHmac('sha256', this.linkSecret)
        .update(`${media.id}:${ext}`)
        .digest('hex')
        .slice(0, 24);
      return sendJson(res, 200, {
        messaging_product: 'whatsapp',
        url: `${this.url}/whatsapp_business/attachments/?mid=${media.id}&ext=${ext}&hash=${hash}`,
        mime_type: media.mime,
        sha256: media.sha256,
        file_size: String(media.bytes.length),
        id: media.id,
      });
    }
    return this.graphError(res, { code: 100, message: `Unsupported ${req.method} request` });
  }

  /** Media URLs expire after five minutes and need the owning number's token, like lookaside.fbsbx.com. */
  private download(req: IncomingMessage, res: ServerResponse, url: URL) {
    const media = this.media.get(url.searchParams.get('mid') ?? '');
    const ext = Number(url.searchParams.get('ext'));
    const hash = createHmac('sha256', this.linkSecret)
      .update(`${media?.id}:${ext}`)
      .digest('hex')
      .slice(0, 24);
    const owner = media ? this.numbers.get(media.owner) : undefined;
    if (!media || !owner || hash !== url.searchParams.get('hash') || ext < this.now() / 1000) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('URL signature expired');
      return;
    }
    if (this.bearer(req) !== owner.accessToken) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('Unauthorized');
      return;
    }
    sendBytes(res, media.bytes, media.mime);
  }

  /** Media upload as Graph takes it: multipart with messaging_product, type and the file part. */
  private async uploadMedia(req: IncomingMessage, res: ServerResponse, n: PhoneNumber, raw: Buffer) {
    const invalid = (message: string, details: string, code = 100) =>
      this.graphError(res, { code, message, details });
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      return invalid('(#100) Invalid parameter', 'Media uploads must be multipart/form-data');
    }
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': contentType },
      }).formData();
    } catch {
      return invalid('(#100) Invalid parameter', 'The multipart body cannot be parsed');
    }
    if (form.get('messaging_product') !== 'whatsapp') {
      return invalid(
        '(#100) The parameter messaging_product is required.',
        'messaging_product must be "whatsapp"',
      );
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') {
      return invalid('(#100) The parameter file is required.', 'Upload the file as the part "file"');
    }
    const mime = String(form.get('type') ?? file.type)
      .split(';')[0]!
      .trim();
    if (!UPLOAD_TYPES.some((r) => r.mime.test(mime))) {
      return invalid('(#131053) Media upload error', `Unsupported file type ${mime}`, 131053);
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length === 0 || bytes.length > MAX_UPLOAD) {
      return invalid(
        '(#131053) Media upload error',
        `Files must be 1 to ${MAX_UPLOAD} bytes (got ${bytes.length})`,
        131053,
      );
    }
    const stored = this.storeMedia(n, bytes, mime);
    sendJson(res, 200, { id: stored.id });
  }

  /** `GET /<WABA_ID>/message_templates`: the business account's approved templates, in one page. */
  private listTemplates(req: IncomingMessage, res: ServerResponse, wabaId: string) {
    const numbers = [...this.numbers.values()].filter((x) => x.wabaId === wabaId);
    const owner = numbers.find((x) => this.bearer(req) === x.accessToken);
    if (!this.authorised(req, res, owner)) return;
    const data = numbers.flatMap((n) =>
      [...n.templates.values()].map((t) => ({
        name: t.name,
        language: t.language,
        status: 'APPROVED',
        category: t.category ?? 'UTILITY',
        id: createHmac('sha256', this.linkSecret)
          .update(`${t.name}/${t.language}`)
          .digest('hex')
          .slice(0, 15),
        components: [
          {
            type: 'BODY',
            text: t.body ?? Array.from({ length: t.bodyParameters }, (_, i) => `{{${i + 1}}}`).join(' '),
          },
        ],
      })),
    );
    sendJson(res, 200, { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } });
  }

  private sendMessage(res: ServerResponse, n: PhoneNumber, raw: Buffer) {
    const invalid = (message: string, details: string, code = 100) =>
      this.graphError(res, { code, message, details });
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw.toString('utf8'));
    } catch {
      return invalid('(#100) Invalid parameter', 'The request body is not JSON');
    }
    const scripted = n.failures.shift();
    if (scripted) return this.graphError(res, scripted);
    if (b.messaging_product !== 'whatsapp') {
      return invalid(
        '(#100) The parameter messaging_product is required.',
        'messaging_product must be "whatsapp"',
      );
    }
    if (b.status === 'read') return sendJson(res, 200, { success: true });
    const to = typeof b.to === 'string' ? b.to.replace(/^\+/, '') : '';
    if (!/^\d{5,20}$/.test(to)) return invalid('(#100) Invalid parameter', "Invalid 'to' parameter");
    const type = typeof b.type === 'string' ? b.type : 'text';
    const obj = b[type] as Record<string, unknown> | undefined;
    if (!obj || typeof obj !== 'object') {
      return invalid('(#131008) Required parameter is missing', `Parameter '${type}' is required`, 131008);
    }
    switch (type) {
      case 'text': {
        const body = obj.body;
        if (typeof body !== 'string' || body.length === 0) {
          return invalid(
            '(#131008) Required parameter is missing',
            "Parameter 'text.body' is required",
            131008,
          );
        }
        if (body.length > 4096)
          return invalid('(#100) Invalid parameter', 'Param text.body must be at most 4096 characters long.');
        break;
      }
      case 'image':
      case 'video':
      case 'audio':
      case 'document':
      case 'sticker':
        if (typeof obj.link !== 'string' && typeof obj.id !== 'string') {
          return invalid(
            '(#131008) Required parameter is missing',
            "Parameter 'link' or 'id' is required",
            131008,
          );
        }
        if (typeof obj.id === 'string') {
          const media = this.media.get(obj.id);
          if (!media || media.owner !== n.phoneNumberId) {
            return invalid('(#100) Invalid parameter', `Invalid media id ${obj.id}`);
          }
          // Any uploaded file can go as a document; the other types need their own formats and sizes.
          const rule = UPLOAD_TYPES.find((r) => r.type === type);
          if (type !== 'document' && rule && (!rule.mime.test(media.mime) || media.bytes.length > rule.max)) {
            return invalid(
              '(#131053) Media upload error',
              `Media of type ${media.mime} (${media.bytes.length} bytes) cannot be sent as ${type}`,
              131053,
            );
          }
        }
        if (typeof obj.caption === 'string' && obj.caption.length > 1024) {
          return invalid('(#100) Invalid parameter', 'Param caption must be at most 1024 characters long.');
        }
        break;
      case 'template': {
        const name = obj.name;
        const lang = (obj.language as { code?: unknown } | undefined)?.code;
        if (typeof name !== 'string' || typeof lang !== 'string') {
          return invalid(
            '(#131008) Required parameter is missing',
            'template.name and template.language.code are required',
            131008,
          );
        }
        const t = n.templates.get(`${name}/${lang}`);
        if (!t) {
          return invalid(
            '(#132001) Template name does not exist in the translation',
            `template name (${name}) does not exist in ${lang}`,
            132001,
          );
        }
        const comps = Array.isArray(obj.components)
          ? (obj.components as { type?: string; parameters?: unknown[] }[])
          : [];
        const given = comps.find((c) => c.type === 'body')?.parameters?.length ?? 0;
        if (given !== t.bodyParameters) {
          return invalid(
            '(#132000) Number of parameters does not match the expected number of params',
            `body: number of localizable_params (${given}) does not match the expected number of params (${t.bodyParameters})`,
            132000,
          );
        }
        break;
      }
      case 'interactive': {
        const why = interactiveError(obj);
        if (why) return invalid('(#100) Invalid parameter', why);
        break;
      }
      case 'location':
      case 'reaction':
      case 'contacts':
        break;
      default:
        return invalid('(#100) Invalid parameter', `Unsupported message type ${type}`);
    }
    const sent: SentMessage = { id: this.wamid(), to, type, body: b, at: this.now(), status: 'accepted' };
    n.sent.push(sent);
    sendJson(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: String(b.to), wa_id: to }],
      messages: [{ id: sent.id, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
    });
    // Acceptance is not delivery: the outcome arrives as status webhooks, as with Meta.
    const c = n.customers.get(to);
    if (!c) {
      this.status(n, sent, 'failed', {
        code: 131026,
        title: 'Message undeliverable',
        details: 'Message Undeliverable.',
      });
    } else if (
      type !== 'template' &&
      (c.lastInboundAt === null || this.now() - c.lastInboundAt > WINDOW_MS)
    ) {
      this.status(n, sent, 'failed', {
        code: 131047,
        title: 'Re-engagement message',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      });
    } else {
      this.status(n, sent, 'sent');
      this.status(n, sent, 'delivered');
    }
  }
}
