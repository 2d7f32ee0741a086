import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxServer, sendBytes, sendJson } from './http-kit.ts';
import {
  CHAT_PEER_BASE,
  CLIENT_INFO,
  type Community,
  type CustomerContent,
  type VkMessageObj,
  type VkUser,
  addMessage,
  envelope,
  newCommunity,
} from './vk-sandbox-model.ts';
import { vkUploads } from './vk-sandbox-uploads.ts';

export type { CustomerContent } from './vk-sandbox-model.ts';

/** What the community's Callback API server answered one event. */
export interface Delivery {
  status: number;
  body: string;
  event: Record<string, unknown>;
}

const TEXT_MAX = 4096;
const RANDOM_ID_TTL_MS = 3_600_000;

/**
 * A local VK for tests and the demo: the API at `POST /method/<name>` (form parameters, `access_token`
 * and `v` required; errors as `{"error": {...}}` with HTTP 200, like api.vk.ru), message upload servers,
 * a CDN for customers' files, and customers whose actions reach the community's Callback API server as
 * VK posts them: confirmation first, then JSON events carrying the secret key and an `event_id`, with
 * `X-Retry-Counter` on a resend. `messages.send` keeps VK's rules: a `random_id` is required and a repeat
 * within the hour is dropped (answered with the first message's id), users who never wrote or who denied
 * messages get 901, text beyond 4096 characters gets 914; each sent message comes back as `message_reply`.
 *
 * Deliberate differences: no rate limits unless scripted, the Callback API URL may be plain http, and the
 * Callback API has no read receipts for communities, so neither does the sandbox.
 */
export class VkSandbox {
  private readonly communities = new Map<number, Community>();
  private readonly users = new Map<number, VkUser>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Every `messages.send` call: what it carried and what became of it (a repeat is `dropped`). */
  readonly sendLog: { groupId: number; randomId: string; outcome: 'sent' | 'dropped' | number }[] = [];
  readonly uploads = vkUploads(() => this.url);
  private nextGroup = 229_000_001;

  get url(): string {
    return this.server.url;
  }

  /** The API base an adapter is configured with (`apiBaseUrl`). */
  get apiBaseUrl(): string {
    return `${this.server.url}/method`;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  async stop(): Promise<void> {
    await this.settle();
    await this.server.close();
  }

  createCommunity(o: { name: string; screenName?: string }): Community {
    const id = this.nextGroup++;
    const c = newCommunity(id, o.name, o.screenName ?? `club${id}`);
    this.communities.set(id, c);
    return c;
  }

  addUser(u: VkUser): VkUser {
    this.users.set(u.id, u);
    return u;
  }

  createChat(groupId: number, title: string, members: number[]): number {
    const c = this.community(groupId);
    const peer = CHAT_PEER_BASE + c.chats.size + 1;
    c.chats.set(peer, { title, members });
    return peer;
  }

  /**
   * The admin adds the Callback API server: VK posts `confirmation` and expects the confirmation string
   * back as the whole body; only a confirmed server gets events.
   */
  async setCallbackServer(groupId: number, url: string): Promise<boolean> {
    const c = this.community(groupId);
    c.callback = { url, confirmed: false };
    const res = await this.post(c, { type: 'confirmation', group_id: groupId, secret: c.secret });
    c.callback.confirmed = res.status === 200 && res.body === c.confirmationCode;
    return c.callback.confirmed;
  }

  /** Waits for the events VK posts on its own (message_reply echoes) to be answered. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** A customer writes to the community (or, with `chatPeer`, in a group chat it is in). */
  async customerWrites(groupId: number, userId: number, content: CustomerContent, chatPeer?: number) {
    const c = this.community(groupId);
    const peer = chatPeer ?? userId;
    const first = !chatPeer && !c.messages.some((m) => m.peer_id === peer && m.from_id === userId);
    const message = addMessage(c, {
      date: this.nowSeconds(),
      peer_id: peer,
      from_id: userId,
      text: content.text ?? '',
      random_id: 0,
      out: 0,
      attachments: this.uploads.customerAttachments(userId, content),
      fwd_messages: (content.forward ?? []).map((cmid) => this.quote(c, peer, cmid)),
      ...(content.replyTo ? { reply_message: this.quote(c, peer, content.replyTo) } : {}),
      ...(content.geo ? { geo: { type: 'point' as const, coordinates: content.geo } } : {}),
    });
    const delivery = await this.deliver(c, 'message_new', { message, client_info: CLIENT_INFO });
    // Writing first lets the community answer; VK reports it as message_allow too.
    if (first && !c.allowed.has(userId)) {
      c.allowed.add(userId);
      c.denied.delete(userId);
      await this.deliver(c, 'message_allow', { user_id: userId, key: '' });
    }
    return { message, delivery };
  }

  /** The customer edits one of their messages. */
  async customerEdits(groupId: number, userId: number, cmid: number, text: string) {
    const c = this.community(groupId);
    const m = c.messages.find((x) => x.peer_id === userId && x.conversation_message_id === cmid);
    if (!m) throw new Error(`no message ${cmid} in the dialog with ${userId}`);
    m.text = text;
    m.update_time = this.nowSeconds();
    return this.deliver(c, 'message_edit', m);
  }

  /** "Allow messages" (`message_allow`, with the deep link's key) or "deny messages" (`message_deny`). */
  async customerAllows(groupId: number, userId: number, key = '') {
    const c = this.community(groupId);
    c.allowed.add(userId);
    c.denied.delete(userId);
    return this.deliver(c, 'message_allow', { user_id: userId, key });
  }

  async customerDenies(groupId: number, userId: number) {
    const c = this.community(groupId);
    c.denied.add(userId);
    return this.deliver(c, 'message_deny', { user_id: userId });
  }

  /** A community admin answers in VK's own inbox: the echo names the admin (`admin_author_id`). */
  async adminWrites(groupId: number, peer: number, text: string, adminId = 1) {
    const c = this.community(groupId);
    const m = addMessage(c, {
      date: this.nowSeconds(),
      peer_id: peer,
      from_id: -groupId,
      text,
      // VK's web client sends its own random_id too.
      random_id: randomBytes(4).readInt32BE(0) || 1,
      out: 1,
      attachments: [],
      fwd_messages: [],
      admin_author_id: adminId,
    });
    return this.deliver(c, 'message_reply', m);
  }

  /** Resends an event as VK does when the server did not answer `ok`. */
  async redeliver(groupId: number, event: Record<string, unknown>, retry = 1): Promise<Delivery> {
    return this.post(this.community(groupId), event, retry);
  }

  /** The next sends fail with these VK errors (HTTP 200, as VK answers); null lets one through. */
  failNextSends(groupId: number, ...errors: ({ error_code: number; error_msg: string } | null)[]): void {
    this.community(groupId).failNext.push(...errors);
  }

  /** The dialog (or chat) as the customer sees it, oldest first. */
  dialog(groupId: number, peer: number): VkMessageObj[] {
    return this.community(groupId).messages.filter((m) => m.peer_id === peer);
  }

  community(groupId: number): Community {
    const c = this.communities.get(groupId);
    if (!c) throw new Error(`no community ${groupId}`);
    return c;
  }

  private nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }

  private quote(c: Community, peer: number, cmid: number): Record<string, unknown> {
    const m = c.messages.find((x) => x.peer_id === peer && x.conversation_message_id === cmid);
    if (!m) throw new Error(`no message ${cmid} in ${peer}`);
    const { fwd_messages: _f, reply_message: _r, ...rest } = m;
    return { ...rest, fwd_messages: [] };
  }

  private async deliver(c: Community, type: string, object: unknown): Promise<Delivery> {
    return this.post(c, envelope(c, type, object));
  }

  private async post(c: Community, event: Record<string, unknown>, retry = 0): Promise<Delivery> {
    const cb = c.callback;
    if (!cb || (!cb.confirmed && event.type !== 'confirmation')) return { status: 0, body: '', event };
    const p = fetch(cb.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(retry > 0 ? { 'x-retry-counter': String(retry) } : {}),
      },
      body: JSON.stringify(event),
    }).then(async (r) => ({ status: r.status, body: await r.text(), event }));
    this.inFlight.add(p);
    try {
      return await p;
    } catch {
      return { status: 0, body: '', event };
    } finally {
      this.inFlight.delete(p);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    if (url.pathname.startsWith('/cdn/')) {
      const f = this.uploads.file(url.pathname.slice(5));
      if (!f) return sendJson(res, 404, { error: 'not found' });
      return sendBytes(res, f.bytes, f.mime);
    }
    if (url.pathname.startsWith('/upload/')) {
      return sendJson(res, 200, await this.uploads.receive(req, url, body));
    }
    const m = url.pathname.match(/^\/method\/([\w.]+)$/);
    if (!m) return sendJson(res, 404, { error: 'not found' });
    const params = new URLSearchParams(url.search);
    if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    }
    const p = Object.fromEntries(params);
    const fail = (error_code: number, error_msg: string) =>
      sendJson(res, 200, {
        error: {
          error_code,
          error_msg,
          request_params: [
            { key: 'method', value: m[1] },
            { key: 'v', value: p.v ?? '' },
          ],
        },
      });
    const c = [...this.communities.values()].find((x) => x.accessToken === p.access_token);
    if (!c) return fail(5, 'User authorization failed: invalid access_token (4).');
    if (!p.v) return fail(8, 'Invalid request: v (version) is required');
    const answer = await this.call(c, m[1]!, p);
    if ('error' in answer) return fail(answer.error.error_code, answer.error.error_msg);
    return sendJson(res, 200, { response: answer.response });
  }

  private async call(
    c: Community,
    method: string,
    p: Record<string, string>,
  ): Promise<{ response: unknown } | { error: { error_code: number; error_msg: string } }> {
    const err = (error_code: number, error_msg: string) => ({ error: { error_code, error_msg } });
    switch (method) {
      case 'groups.getById':
        if (p.group_id && Number(p.group_id) !== c.groupId)
          return err(100, 'One of the parameters specified was missing or invalid: group_id');
        return {
          response: {
            groups: [{ id: c.groupId, name: c.name, screen_name: c.screenName, is_closed: 0, type: 'group' }],
            profiles: [],
          },
        };
      case 'groups.getCallbackConfirmationCode':
        return { response: { code: c.confirmationCode } };
      case 'users.get':
        return {
          response: (p.user_ids ?? '')
            .split(',')
            .map((id) => this.users.get(Number(id)))
            .filter(Boolean)
            .map((u) => ({ ...u, can_access_closed: true, is_closed: false })),
        };
      case 'messages.getConversationsById': {
        const items = (p.peer_ids ?? '').split(',').flatMap((id) => {
          const chat = c.chats.get(Number(id));
          return chat
            ? [
                {
                  peer: { id: Number(id), type: 'chat', local_id: Number(id) - CHAT_PEER_BASE },
                  chat_settings: { title: chat.title, members_count: chat.members.length },
                },
              ]
            : [];
        });
        return { response: { count: items.length, items } };
      }
      case 'messages.send':
        return this.send(c, p);
      default: {
        const up = this.uploads.method(c, method, p);
        return up ?? err(3, 'Unknown method passed');
      }
    }
  }

  private send(c: Community, p: Record<string, string>) {
    const err = (error_code: number, error_msg: string) => ({ error: { error_code, error_msg } });
    const log = (outcome: 'sent' | 'dropped' | number) =>
      this.sendLog.push({ groupId: c.groupId, randomId: p.random_id ?? '', outcome });
    const scripted = c.failNext.shift();
    if (scripted) {
      log(scripted.error_code);
      return { error: scripted };
    }
    const peer = Number(p.peer_id ?? p.user_id ?? p.peer_ids);
    if (!Number.isSafeInteger(peer) || peer === 0)
      return err(100, 'One of the parameters specified was missing or invalid: peer_id');
    if (p.random_id === undefined)
      return err(
        100,
        'One of the parameters specified was missing or invalid: random_id is a required parameter',
      );
    const text = p.message ?? '';
    const attachments = (p.attachment ?? '').split(',').filter(Boolean);
    if (!text && attachments.length === 0)
      return err(100, 'One of the parameters specified was missing or invalid: message is empty or invalid');
    if (text.length > TEXT_MAX) return err(914, 'Message is too long');
    if (peer >= CHAT_PEER_BASE) {
      if (!c.chats.has(peer)) return err(917, "You don't have access to this chat");
    } else {
      if (c.denied.has(peer)) return err(901, "Can't send messages for users without permission");
      if (!c.allowed.has(peer)) return err(901, "Can't send messages for users without permission");
    }
    const objects = [];
    for (const a of attachments) {
      const o = this.uploads.saved(a);
      if (!o)
        return err(100, `One of the parameters specified was missing or invalid: attachment ${a} not found`);
      objects.push(o);
    }
    const key = `${peer}:${p.random_id}`;
    const seen = c.randomIds.get(key);
    const answerOf = (m: VkMessageObj) =>
      p.peer_ids !== undefined
        ? [{ peer_id: peer, message_id: m.id, conversation_message_id: m.conversation_message_id }]
        : m.id || m.conversation_message_id;
    // The same random_id within the hour: VK drops the repeat.
    if (seen && Date.now() - seen.at < RANDOM_ID_TTL_MS) {
      log('dropped');
      return { response: answerOf(seen.message) };
    }
    const m = addMessage(c, {
      date: this.nowSeconds(),
      peer_id: peer,
      from_id: -c.groupId,
      text,
      random_id: Number(p.random_id),
      out: 1,
      attachments: objects,
      fwd_messages: [],
    });
    c.randomIds.set(key, { message: m, at: Date.now() });
    log('sent');
    // VK posts the copy of the community's message on its own, after answering.
    const echo = new Promise<void>((done) =>
      setImmediate(() => void this.deliver(c, 'message_reply', m).finally(done)),
    );
    this.inFlight.add(echo);
    void echo.finally(() => this.inFlight.delete(echo));
    return { response: answerOf(m) };
  }
}
