import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxServer, requestParams, sendBytes, sendJson } from './http-kit.ts';

/**
 * A local Telegram Bot API server for tests and the demo: `POST|GET /bot<token>/<method>` answering
 * `{ok, result}` / `{ok: false, error_code, description, parameters}` like api.telegram.org, file
 * downloads at `/file/bot<token>/<file_path>`, and customers whose messages are delivered to the bot's
 * webhook as Updates with the `X-Telegram-Bot-Api-Secret-Token` header.
 *
 * Files can be uploaded the way the Bot API takes them: multipart/form-data with the file as the part
 * named by the method's field (or `attach://<part>`), other parameters as form fields (objects as JSON).
 *
 * Deliberate differences: webhooks may be plain http (like a self-hosted Bot API server), and files sent
 * by URL are recorded rather than fetched.
 */

export interface TgCustomer {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type CustomerContent =
  | { text: string }
  | { photo: Uint8Array; caption?: string }
  | { video: Uint8Array; caption?: string; mimeType?: string }
  | { voice: Uint8Array; duration?: number }
  | { audio: Uint8Array; title?: string; performer?: string; fileName?: string; mimeType?: string }
  | { document: Uint8Array; fileName: string; mimeType?: string; caption?: string }
  | { sticker: Uint8Array; emoji?: string; setName?: string; animated?: boolean }
  | { location: { latitude: number; longitude: number } }
  | { venue: { latitude: number; longitude: number; title: string; address: string } }
  | { contact: { phone_number: string; first_name: string; last_name?: string; user_id?: number } }
  | { poll: { question: string; options: string[] } };

export interface CustomerMessage {
  from: TgCustomer;
  /** Write in a group the bot is in (negative id) instead of the private chat. */
  group?: { id: number; title: string; supergroup?: boolean };
  replyToMessageId?: number;
  content: CustomerContent;
}

export interface ApiErrorScript {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** The result of pushing one Update to the bot's webhook. */
export interface Delivery {
  updateId: number;
  /** HTTP status of the webhook answer; 0 when no webhook is set (kept for getUpdates). */
  status: number;
  body: string;
  message?: TgMessageObj;
}

type TgMessageObj = Record<string, unknown> & { message_id: number; chat: TgChatObj; date: number };
type TgChatObj = Record<string, unknown> & { id: number; type: string };
type Update = Record<string, unknown> & { update_id: number };

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer | null;
  mime: string;
  /** Set for files "sent by URL": recorded, not fetched. */
  url?: string;
  /** The name an uploaded file came with. */
  name?: string;
}

/** A file part of a multipart request. */
interface UploadedPart {
  bytes: Buffer;
  name: string;
  mime: string;
}

interface Chat {
  obj: TgChatObj;
  nextMessageId: number;
  messages: Map<number, TgMessageObj>;
}

interface Bot {
  id: number;
  token: string;
  username: string;
  firstName: string;
  webhook: { url: string; secret?: string; allowed?: string[] } | null;
  nextUpdateId: number;
  updates: Map<number, Update>;
  pending: Update[];
  chats: Map<number, Chat>;
  blockedBy: Set<number>;
  failures: Map<string, ApiErrorScript[]>;
  lastError?: { date: number; message: string };
  /** Callback queries sent to the bot and not answered yet (answerCallbackQuery takes each once). */
  openQueries: Set<string>;
  /** Callback queries the bot answered, oldest first. */
  answeredQueries: string[];
}

/** A call the bot made, as the customer's phone would see it (sends only). */
export interface BotCall {
  method: string;
  params: Record<string, unknown>;
  result?: unknown;
  error?: ApiErrorScript;
}

const MAX_DOWNLOAD = 20 * 1024 * 1024;
const MAX_UPLOAD = 50 * 1024 * 1024;
const MAX_PHOTO_UPLOAD = 10 * 1024 * 1024;
const SEND_FIELDS: Record<string, string> = {
  sendPhoto: 'photo',
  sendVideo: 'video',
  sendAudio: 'audio',
  sendVoice: 'voice',
  sendDocument: 'document',
  sendSticker: 'sticker',
  sendAnimation: 'animation',
  sendVideoNote: 'video_note',
};

export class TelegramSandbox {
  private readonly bots = new Map<string, Bot>();
  private readonly files = new Map<string, StoredFile>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  readonly calls: (BotCall & { token: string })[] = [];
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  get url(): string {
    return this.server.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  /** A new bot, like one made with @BotFather; the token has the real format. */
  createBot(opts: { username: string; firstName?: string }): { id: number; token: string } {
    const id = randomInt(1_000_000_000, 8_000_000_000);
    const token = `${id}:AA${randomBytes(24).toString('base64url').slice(0, 33)}`;
    this.bots.set(token, {
      id,
      token,
      username: opts.username,
      firstName: opts.firstName ?? opts.username,
      webhook: null,
      nextUpdateId: randomInt(100_000_000, 900_000_000),
      updates: new Map(),
      pending: [],
      chats: new Map(),
      blockedBy: new Set(),
      failures: new Map(),
      openQueries: new Set(),
      answeredQueries: [],
    });
    return { id, token };
  }

  /** The next call of `method` (by any bot when token is omitted) answers this error. */
  failNext(token: string, method: string, error: ApiErrorScript): void {
    const bot = this.bot(token);
    const list = bot.failures.get(method.toLowerCase()) ?? [];
    list.push(error);
    bot.failures.set(method.toLowerCase(), list);
  }

  webhookOf(token: string): { url: string; secret?: string; allowed?: string[] } | null {
    return this.bot(token).webhook;
  }

  /** Messages in a chat, both ways, oldest first (the customer's screen). */
  chatHistory(token: string, chatId: number): TgMessageObj[] {
    return [...(this.bot(token).chats.get(chatId)?.messages.values() ?? [])];
  }

  /** What the bot sent (successful send calls), oldest first. */
  sentBy(token: string, chatId?: number): TgMessageObj[] {
    return this.calls
      .filter((c) => c.token === token && c.result && typeof c.result === 'object')
      .map((c) => c.result as TgMessageObj)
      .filter((m) => chatId === undefined || m.chat.id === chatId);
  }

  /** The bytes of a file the bot uploaded or a customer sent (null for files sent by URL). */
  fileBytes(fileId: string): Buffer | null {
    return this.files.get(fileId)?.bytes ?? null;
  }

  /** A customer writes to the bot (private chat, or a group the bot is in). */
  async customerSends(token: string, msg: CustomerMessage): Promise<Delivery> {
    const bot = this.bot(token);
    const chat = this.chatFor(bot, msg);
    const message: TgMessageObj = {
      message_id: chat.nextMessageId++,
      from: { ...msg.from, is_bot: false },
      chat: chat.obj,
      date: this.seconds(),
      ...this.content(msg.content),
    };
    if (msg.replyToMessageId !== undefined) {
      const replied = chat.messages.get(msg.replyToMessageId);
      if (replied) message.reply_to_message = replied;
    }
    chat.messages.set(message.message_id, message);
    const d = await this.push(bot, { message });
    return { ...d, message };
  }

  /** The customer edits one of their text messages (or a caption). */
  async customerEdits(token: string, chatId: number, messageId: number, text: string): Promise<Delivery> {
    const bot = this.bot(token);
    const chat = bot.chats.get(chatId);
    const old = chat?.messages.get(messageId);
    if (!chat || !old) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const edited: TgMessageObj = { ...old, edit_date: this.seconds() };
    if ('caption' in old) edited.caption = text;
    else edited.text = text;
    chat.messages.set(messageId, edited);
    const d = await this.push(bot, { edited_message: edited });
    return { ...d, message: edited };
  }

  /**
   * The customer taps an inline-keyboard button under one of the bot's messages: a `callback_query`
   * update with the button's callback_data and the message (keyboard included), as Telegram sends it.
   * The app waits for answerCallbackQuery (see `answeredQueries`).
   */
  async customerTaps(token: string, chatId: number, messageId: number, data: string): Promise<Delivery> {
    const bot = this.bot(token);
    const chat = bot.chats.get(chatId);
    const message = chat?.messages.get(messageId);
    if (!chat || !message) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const keyboard = (
      message.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined
    )?.inline_keyboard;
    if (!keyboard?.flat().some((b) => b.callback_data === data))
      throw new Error(`message ${messageId} has no button with data ${data}`);
    const obj = chat.obj;
    const from =
      obj.type === 'private'
        ? {
            id: obj.id,
            is_bot: false,
            first_name: obj.first_name ?? 'Customer',
            ...(obj.username ? { username: obj.username } : {}),
          }
        : { id: randomInt(1, 1_000_000_000), is_bot: false, first_name: 'Member' };
    const id = String(randomInt(1, 2 ** 47)) + String(randomInt(100_000, 999_999));
    bot.openQueries.add(id);
    return this.push(bot, {
      callback_query: { id, from, message, chat_instance: String(-Math.abs(obj.id) * 7 + 13), data },
    });
  }

  /** The callback queries the bot answered (answerCallbackQuery), oldest first. */
  answeredQueries(token: string): string[] {
    return [...this.bot(token).answeredQueries];
  }

  /** The customer blocks the bot: sends to them fail with 403, and the bot gets a my_chat_member update. */
  async customerBlocks(token: string, userId: number): Promise<Delivery> {
    const bot = this.bot(token);
    bot.blockedBy.add(userId);
    const chat = bot.chats.get(userId);
    const botUser = this.botUser(bot);
    return this.push(bot, {
      my_chat_member: {
        chat: chat?.obj ?? { id: userId, type: 'private' },
        from: chat?.obj ? { id: userId, is_bot: false, first_name: chat.obj.first_name } : { id: userId },
        date: this.seconds(),
        old_chat_member: { user: botUser, status: 'member' },
        new_chat_member: { user: botUser, status: 'kicked', until_date: 0 },
      },
    });
  }

  /** Telegram resends an update it considers undelivered: same update_id, same body. */
  async redeliver(token: string, updateId: number): Promise<Delivery> {
    const bot = this.bot(token);
    const update = bot.updates.get(updateId);
    if (!update) throw new Error(`no update ${updateId}`);
    return this.post(bot, update);
  }

  private bot(token: string): Bot {
    const b = this.bots.get(token);
    if (!b) throw new Error('unknown bot token');
    return b;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private botUser(bot: Bot) {
    return { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
  }

  private chatFor(bot: Bot, msg: CustomerMessage): Chat {
    const id = msg.group?.id ?? msg.from.id;
    let chat = bot.chats.get(id);
    if (!chat) {
      const obj: TgChatObj = msg.group
        ? { id, type: msg.group.supergroup ? 'supergroup' : 'group', title: msg.group.title }
        : {
            id,
            type: 'private',
            first_name: msg.from.first_name,
            ...(msg.from.last_name ? { last_name: msg.from.last_name } : {}),
            ...(msg.from.username ? { username: msg.from.username } : {}),
          };
      chat = { obj, nextMessageId: 1, messages: new Map() };
      bot.chats.set(id, chat);
    }
    if (!msg.group) bot.blockedBy.delete(msg.from.id);
    return chat;
  }

  private storeFile(
    bytes: Uint8Array | null,
    folder: string,
    ext: string,
    mime: string,
    url?: string,
  ): StoredFile {
    const f: StoredFile = {
      file_id: `AgAC${randomBytes(30).toString('base64url')}`,
      file_unique_id: `AQAD${randomBytes(8).toString('base64url')}`,
      file_path: `${folder}/file_${this.files.size}.${ext}`,
      bytes: bytes ? Buffer.from(bytes) : null,
      mime,
      ...(url ? { url } : {}),
    };
    this.files.set(f.file_id, f);
    return f;
  }

  private fileObj(f: StoredFile, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      ...(f.bytes ? { file_size: f.bytes.length } : {}),
      ...extra,
    };
  }

  private photoSizes(f: StoredFile): Record<string, unknown>[] {
    const thumb = this.storeFile(f.bytes, 'photos', 'jpg', f.mime, f.url);
    return [this.fileObj(thumb, { width: 90, height: 67 }), this.fileObj(f, { width: 1280, height: 960 })];
  }

  private content(c: CustomerContent): Record<string, unknown> {
    if ('text' in c) return { text: c.text };
    if ('photo' in c) {
      return {
        photo: this.photoSizes(this.storeFile(c.photo, 'photos', 'jpg', 'image/jpeg')),
        ...(c.caption ? { caption: c.caption } : {}),
      };
    }
    if ('video' in c) {
      const mime = c.mimeType ?? 'video/mp4';
      const f = this.storeFile(c.video, 'videos', 'mp4', mime);
      return {
        video: this.fileObj(f, { width: 640, height: 480, duration: 3, mime_type: mime }),
        ...(c.caption ? { caption: c.caption } : {}),
      };
    }
    if ('voice' in c) {
      const f = this.storeFile(c.voice, 'voice', 'oga', 'audio/ogg');
      return { voice: this.fileObj(f, { duration: c.duration ?? 2, mime_type: 'audio/ogg' }) };
    }
    if ('audio' in c) {
      const mime = c.mimeType ?? 'audio/mpeg';
      const f = this.storeFile(c.audio, 'music', 'mp3', mime);
      return {
        audio: this.fileObj(f, {
          duration: 30,
          mime_type: mime,
          ...(c.title ? { title: c.title } : {}),
          ...(c.performer ? { performer: c.performer } : {}),
          ...(c.fileName ? { file_name: c.fileName } : {}),
        }),
      };
    }
    if ('document' in c) {
      const mime = c.mimeType ?? 'application/octet-stream';
      const f = this.storeFile(c.document, 'documents', c.fileName.split('.').pop() ?? 'bin', mime);
      return {
        document: this.fileObj(f, { file_name: c.fileName, mime_type: mime }),
        ...(c.caption ? { caption: c.caption } : {}),
      };
    }
    if ('sticker' in c) {
      const f = this.storeFile(c.sticker, 'stickers', c.animated ? 'tgs' : 'webp', 'image/webp');
      return {
        sticker: this.fileObj(f, {
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: c.animated ?? false,
          is_video: false,
          ...(c.emoji ? { emoji: c.emoji } : {}),
          ...(c.setName ? { set_name: c.setName } : {}),
        }),
      };
    }
    if ('venue' in c) {
      const location = { latitude: c.venue.latitude, longitude: c.venue.longitude };
      return { location, venue: { location, title: c.venue.title, address: c.venue.address } };
    }
    if ('location' in c) return { location: c.location };
    if ('contact' in c) return { contact: c.contact };
    return {
      poll: {
        id: randomBytes(8).toString('hex'),
        question: c.poll.question,
        options: c.poll.options.map((text) => ({ text, voter_count: 0 })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    };
  }

  private async push(bot: Bot, body: Record<string, unknown>): Promise<Delivery> {
    const update: Update = { update_id: bot.nextUpdateId++, ...body };
    bot.updates.set(update.update_id, update);
    const kind = Object.keys(body)[0]!;
    const allowed = bot.webhook?.allowed;
    // Like Telegram: without a list, everything except member and reaction updates is delivered.
    const wanted = allowed?.length
      ? allowed.includes(kind)
      : !['chat_member', 'message_reaction'].includes(kind);
    if (!wanted) return { updateId: update.update_id, status: 0, body: '' };
    return this.post(bot, update);
  }

  private async post(bot: Bot, update: Update): Promise<Delivery> {
    if (!bot.webhook) {
      bot.pending.push(update);
      return { updateId: update.update_id, status: 0, body: '' };
    }
    try {
      const res = await fetch(bot.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bot.webhook.secret ? { 'x-telegram-bot-api-secret-token': bot.webhook.secret } : {}),
        },
        body: JSON.stringify(update),
      });
      const text = await res.text();
      if (!res.ok)
        bot.lastError = { date: this.seconds(), message: `Wrong response from the webhook: ${res.status}` };
      return { updateId: update.update_id, status: res.status, body: text };
    } catch (err) {
      bot.lastError = { date: this.seconds(), message: `Connection failed: ${(err as Error).message}` };
      return { updateId: update.update_id, status: 0, body: '' };
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && req.method === 'GET') return this.download(res, file[1]!, decodeURIComponent(file[2]!));
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return this.fail(res, { error_code: 404, description: 'Not Found' });
    const bot = this.bots.get(m[1]!);
    if (!bot) return this.fail(res, { error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    let params: Record<string, unknown>;
    try {
      const type = req.headers['content-type'] ?? '';
      params = type.startsWith('multipart/form-data')
        ? await this.multipartParams(method, type, body)
        : requestParams(req, url, body);
    } catch (err) {
      if (err instanceof UploadError) return this.fail(res, err.script);
      return this.fail(res, { error_code: 400, description: "Bad Request: can't parse JSON object" });
    }
    const scripted = bot.failures.get(method.toLowerCase())?.shift();
    const record = SEND_FIELDS[method] !== undefined || /^send(Message|Location|Contact)$/.test(method);
    if (scripted) {
      if (record) this.calls.push({ token: bot.token, method, params, error: scripted });
      return this.fail(res, scripted);
    }
    const outcome = this.call(bot, method, params);
    if (record) this.calls.push({ token: bot.token, method, params, ...outcome });
    if (outcome.error) return this.fail(res, outcome.error);
    sendJson(res, 200, {
      ok: true,
      result: outcome.result,
      ...(outcome.description ? { description: outcome.description } : {}),
    });
  }

  /**
   * A multipart call's parameters: fields as values (JSON-looking ones parsed), and the method's file
   * field (a part of its own name, or `attach://<part>`) stored as a new file whose id takes its place.
   */
  private async multipartParams(
    method: string,
    contentType: string,
    body: Buffer,
  ): Promise<Record<string, unknown>> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': contentType },
      }).formData();
    } catch {
      throw new UploadError({ error_code: 400, description: 'Bad Request: invalid multipart/form-data' });
    }
    const params: Record<string, unknown> = {};
    const parts = new Map<string, UploadedPart>();
    for (const [k, v] of form) {
      if (typeof v === 'string') params[k] = /^[[{]/.test(v) ? safeParse(v) : v;
      else parts.set(k, { bytes: Buffer.from(await v.arrayBuffer()), name: v.name, mime: v.type });
    }
    const field = SEND_FIELDS[method];
    if (!field) return params;
    const ref = params[field];
    const part =
      typeof ref === 'string' && ref.startsWith('attach://')
        ? parts.get(ref.slice('attach://'.length))
        : parts.get(field);
    if (!part) return params;
    if (part.bytes.length > MAX_UPLOAD) {
      throw new UploadError({ error_code: 413, description: 'Request Entity Too Large' });
    }
    if (field === 'photo') {
      if (part.bytes.length > MAX_PHOTO_UPLOAD) {
        throw new UploadError({ error_code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
      }
      if (!isPhoto(part.bytes)) {
        throw new UploadError({ error_code: 400, description: 'Bad Request: IMAGE_PROCESS_FAILED' });
      }
    }
    const ext = part.name.includes('.') ? part.name.split('.').pop()! : 'bin';
    const f = this.storeFile(part.bytes, `${field}s`, ext, part.mime || 'application/octet-stream');
    f.name = part.name;
    params[field] = f.file_id;
    return params;
  }

  private fail(res: ServerResponse, e: ApiErrorScript): void {
    sendJson(res, e.error_code, {
      ok: false,
      error_code: e.error_code,
      description: e.description,
      ...(e.parameters ? { parameters: e.parameters } : {}),
    });
  }

  private download(res: ServerResponse, token: string, path: string) {
    if (!this.bots.has(token)) return this.fail(res, { error_code: 401, description: 'Unauthorized' });
    const f = [...this.files.values()].find((x) => x.file_path === path);
    if (!f?.bytes) return this.fail(res, { error_code: 404, description: 'Not Found' });
    sendBytes(res, f.bytes, f.mime);
  }

  private call(
    bot: Bot,
    method: string,
    p: Record<string, unknown>,
  ): { result?: unknown; description?: string; error?: ApiErrorScript } {
    const bad = (description: string) => ({
      error: { error_code: 400, description: `Bad Request: ${description}` },
    });
    switch (method) {
      case 'getMe':
        return {
          result: {
            ...this.botUser(bot),
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          },
        };
      case 'setWebhook': {
        const url = typeof p.url === 'string' ? p.url : '';
        const secret = p.secret_token;
        if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
          return bad('secret token contains unallowed characters');
        }
        if (url === '') {
          bot.webhook = null;
          return { result: true, description: 'Webhook was deleted' };
        }
        if (!/^https?:\/\/[^/]+/.test(url))
          return bad('bad webhook: Failed to resolve host: Name or service not known');
        const allowed = Array.isArray(p.allowed_updates)
          ? (p.allowed_updates as string[])
          : bot.webhook?.allowed;
        bot.webhook = {
          url,
          ...(secret ? { secret: secret as string } : {}),
          ...(allowed ? { allowed } : {}),
        };
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') bot.pending = [];
        return { result: true, description: 'Webhook was set' };
      }
      case 'deleteWebhook':
        bot.webhook = null;
        return { result: true, description: 'Webhook was deleted' };
      case 'getWebhookInfo':
        return {
          result: {
            url: bot.webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: bot.pending.length,
            max_connections: 40,
            ...(bot.webhook?.allowed ? { allowed_updates: bot.webhook.allowed } : {}),
            ...(bot.lastError
              ? { last_error_date: bot.lastError.date, last_error_message: bot.lastError.message }
              : {}),
          },
        };
      case 'getUpdates': {
        if (bot.webhook) {
          return {
            error: {
              error_code: 409,
              description:
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            },
          };
        }
        const offset = Number(p.offset ?? 0);
        if (offset > 0) bot.pending = bot.pending.filter((u) => u.update_id >= offset);
        return { result: bot.pending.slice(0, Number(p.limit ?? 100)) };
      }
      case 'getFile': {
        const f = typeof p.file_id === 'string' ? this.files.get(p.file_id) : undefined;
        if (!f?.bytes) return bad('invalid file_id');
        if (f.bytes.length > MAX_DOWNLOAD) return bad('file is too big');
        return { result: { ...this.fileObj(f), file_path: f.file_path } };
      }
      case 'answerCallbackQuery': {
        const id = typeof p.callback_query_id === 'string' ? p.callback_query_id : '';
        if (!bot.openQueries.delete(id))
          return bad('query is too old and response timeout expired or query ID is invalid');
        if (typeof p.text === 'string' && p.text.length > 200) return bad('MESSAGE_TOO_LONG');
        bot.answeredQueries.push(id);
        return { result: true };
      }
      case 'sendChatAction': {
        const t = this.target(bot, p);
        return t.error ? { error: t.error } : { result: true };
      }
      default:
        break;
    }
    if (
      method === 'sendMessage' ||
      method === 'sendLocation' ||
      method === 'sendContact' ||
      SEND_FIELDS[method]
    ) {
      return this.send(bot, method, p);
    }
    return { error: { error_code: 404, description: 'Not Found' } };
  }

  private target(bot: Bot, p: Record<string, unknown>): { chat?: Chat; error?: ApiErrorScript } {
    const raw = p.chat_id;
    if (raw === undefined || raw === '')
      return { error: { error_code: 400, description: 'Bad Request: chat_id is empty' } };
    const id = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw)) ? Number(raw) : Number.NaN;
    const chat = bot.chats.get(id);
    if (!chat) return { error: { error_code: 400, description: 'Bad Request: chat not found' } };
    if (chat.obj.type === 'private' && bot.blockedBy.has(id)) {
      return { error: { error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
    }
    return { chat };
  }

  private send(
    bot: Bot,
    method: string,
    p: Record<string, unknown>,
  ): { result?: unknown; error?: ApiErrorScript } {
    const { chat, error } = this.target(bot, p);
    if (error) return { error };
    const bad = (description: string) => ({
      error: { error_code: 400, description: `Bad Request: ${description}` },
    });
    const body: Record<string, unknown> = {};
    if (method === 'sendMessage') {
      const text = typeof p.text === 'string' ? p.text : '';
      if (text.trim() === '') return bad('message text is empty');
      if (text.length > 4096) return bad('message is too long');
      body.text = text;
    } else if (method === 'sendLocation') {
      const latitude = Number(p.latitude);
      const longitude = Number(p.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude))
        return bad('wrong latitude or longitude');
      body.location = { latitude, longitude };
    } else if (method === 'sendContact') {
      if (typeof p.phone_number !== 'string' || typeof p.first_name !== 'string')
        return bad('phone number is empty');
      body.contact = { phone_number: p.phone_number, first_name: p.first_name };
    } else {
      const field = SEND_FIELDS[method]!;
      const ref = p[field];
      if (typeof ref !== 'string' || ref === '') return bad(`there is no ${field} in the request`);
      const known = this.files.get(ref);
      if (!known && !/^https?:\/\//.test(ref))
        return bad('wrong remote file identifier specified: Wrong string length');
      const f = known ?? this.storeFile(null, `${field}s`, 'bin', 'application/octet-stream', ref);
      body[field] =
        field === 'photo'
          ? this.photoSizes(f)
          : this.fileObj(f, f.name ? { file_name: f.name, mime_type: f.mime } : {});
      if (typeof p.caption === 'string') {
        if (p.caption.length > 1024) return bad('message caption is too long');
        body.caption = p.caption;
      }
    }
    if (p.reply_markup !== undefined) {
      const markup = (typeof p.reply_markup === 'string' ? safeParse(p.reply_markup) : p.reply_markup) as {
        inline_keyboard?: unknown;
      };
      const rows = markup?.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every(Array.isArray))
        return bad("can't parse reply keyboard markup JSON object");
      for (const b of rows.flat() as { text?: unknown; callback_data?: unknown }[]) {
        if (typeof b.text !== 'string' || b.text === '')
          return bad('text buttons are unallowed in the inline keyboard');
        const data = b.callback_data;
        if (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64)
          return bad('BUTTON_DATA_INVALID');
      }
      body.reply_markup = { inline_keyboard: rows };
    }
    const rp = p.reply_parameters as
      | { message_id?: unknown; allow_sending_without_reply?: unknown }
      | undefined;
    if (rp?.message_id !== undefined) {
      const replied = chat!.messages.get(Number(rp.message_id));
      if (!replied && rp.allow_sending_without_reply !== true) return bad('message to be replied not found');
      if (replied) body.reply_to_message = replied;
    }
    const message: TgMessageObj = {
      message_id: chat!.nextMessageId++,
      from: this.botUser(bot),
      chat: chat!.obj,
      date: this.seconds(),
      ...body,
    };
    chat!.messages.set(message.message_id, message);
    return { result: message };
  }
}

class UploadError extends Error {
  constructor(readonly script: ApiErrorScript) {
    super(script.description);
  }
}

function safeParse(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** JPEG, PNG or WebP: what Telegram accepts as a photo upload. */
function isPhoto(b: Buffer): boolean {
  return (
    (b[0] === 0xff && b[1] === 0xd8) ||
    b.subarray(1, 4).toString('latin1') === 'PNG' ||
    (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
  );
}
