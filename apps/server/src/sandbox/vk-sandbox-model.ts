import { randomBytes } from 'node:crypto';

/**
 * The VK sandbox's state: communities with their Callback API server, users, group chats, dialogs and
 * the files VK holds. Shapes follow VK's objects (API 5.199) so events built from them are what VK posts.
 */
export const CHAT_PEER_BASE = 2_000_000_000;

export interface VkUser {
  id: number;
  first_name: string;
  last_name: string;
}

export interface VkMessageObj {
  id: number;
  date: number;
  peer_id: number;
  from_id: number;
  text: string;
  conversation_message_id: number;
  random_id: number;
  out: 0 | 1;
  attachments: Record<string, unknown>[];
  fwd_messages: Record<string, unknown>[];
  important: boolean;
  is_hidden: boolean;
  version: number;
  reply_message?: Record<string, unknown>;
  geo?: { type: 'point'; coordinates: { latitude: number; longitude: number } };
  admin_author_id?: number;
  update_time?: number;
}

export interface Community {
  groupId: number;
  name: string;
  screenName: string;
  accessToken: string;
  secret: string;
  confirmationCode: string;
  callback: { url: string; confirmed: boolean } | null;
  nextId: number;
  nextCmid: Map<number, number>;
  messages: VkMessageObj[];
  /** `peer:random_id` → the message it created: VK drops a repeat and answers the first one's id. */
  randomIds: Map<string, { message: VkMessageObj; at: number }>;
  /** Users who may be written to (wrote first or allowed messages) and those who denied them. */
  allowed: Set<number>;
  denied: Set<number>;
  chats: Map<number, { title: string; members: number[] }>;
  /** Errors the next `messages.send` calls answer, in order (null: that call goes through). */
  failNext: ({ error_code: number; error_msg: string } | null)[];
  nextEvent: number;
}

export interface CustomerContent {
  text?: string;
  photo?: Buffer;
  voice?: Buffer;
  doc?: { bytes: Buffer; title: string; ext?: string };
  sticker?: number;
  geo?: { latitude: number; longitude: number };
  /** Quote one of the dialog's messages (by its conversation_message_id). */
  replyTo?: number;
  /** Forward messages of the dialog (by conversation_message_id). */
  forward?: number[];
}

export function newCommunity(groupId: number, name: string, screenName: string): Community {
  return {
    groupId,
    name,
    screenName,
    accessToken: `vk1.a.${randomBytes(48).toString('base64url')}`,
    secret: randomBytes(12).toString('hex'),
    confirmationCode: randomBytes(4).toString('hex'),
    callback: null,
    nextId: 1,
    nextCmid: new Map(),
    messages: [],
    randomIds: new Map(),
    allowed: new Set(),
    denied: new Set(),
    chats: new Map(),
    failNext: [],
    nextEvent: 1,
  };
}

/** A new message in a dialog (or chat), numbered as VK numbers them: ids per community, cmids per peer. */
export function addMessage(
  c: Community,
  m: Omit<VkMessageObj, 'id' | 'conversation_message_id' | 'version' | 'important' | 'is_hidden'>,
): VkMessageObj {
  const cmid = (c.nextCmid.get(m.peer_id) ?? 0) + 1;
  c.nextCmid.set(m.peer_id, cmid);
  const id = c.nextId++;
  const msg: VkMessageObj = {
    // A community sees chat messages without a message id (0); only cmids number them.
    id: m.peer_id >= CHAT_PEER_BASE ? 0 : id,
    conversation_message_id: cmid,
    version: 1_000_000 + id,
    important: false,
    is_hidden: false,
    ...m,
  };
  c.messages.push(msg);
  return msg;
}

/** The event envelope VK posts: `{group_id, type, event_id, v, object, secret}`. */
export function envelope(c: Community, type: string, object: unknown): Record<string, unknown> {
  const eventId = `${c.groupId.toString(16)}${(c.nextEvent++).toString(16).padStart(8, '0')}${randomBytes(12).toString('hex')}`;
  return { group_id: c.groupId, type, event_id: eventId, v: '5.199', object, secret: c.secret };
}

export const CLIENT_INFO = {
  button_actions: [
    'text',
    'vkpay',
    'open_app',
    'location',
    'open_link',
    'callback',
    'intent_subscribe',
    'intent_unsubscribe',
  ],
  keyboard: true,
  inline_keyboard: true,
  carousel: true,
  lang_id: 0,
};
