import type { ContentKind } from '@switchboard/shared';
import type { InboundAttachment, InboundContact, InboundEvent } from '../channel-adapter.ts';
import { readAttachment } from './vk-attachments.ts';
import {
  CHAT_PEER_BASE,
  type VkCallback,
  type VkMessage,
  vkCallback,
  vkMessage,
  vkMessageAllow,
  vkMessageDeny,
  vkMessageNew,
} from './vk-types.ts';

/** Who messages the community sends from VK itself appear by (an admin typing in the community's inbox). */
export const VK_COMMUNITY_AUTHOR = 'VK community';

/**
 * A message's id as Switchboard keys it: `<peer_id>_<conversation_message_id>`, unique per community
 * (channels.md §0.4). A message id alone is not: in group chats a community sees every message as id 0.
 */
export function vkMessageId(m: VkMessage): string | null {
  if (m.peer_id === undefined) return null;
  if (m.conversation_message_id !== undefined && m.conversation_message_id > 0)
    return `${m.peer_id}_${m.conversation_message_id}`;
  return m.id ? `${m.peer_id}_id${m.id}` : null;
}

/** The key a send of ours carries into its own `message_reply` echo: the peer and our random_id. */
export function vkRandomKey(peerId: number | string, randomId: number): string {
  return `rnd:${peerId}:${randomId}`;
}

/** VK escapes message text as HTML; operators should read what the customer typed. */
export function unescapeVk(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
}

export const isChatPeer = (peerId: number): boolean => peerId >= CHAT_PEER_BASE;

function contactOf(m: VkMessage): InboundContact {
  // A group chat is one conversation with the chat as the contact (like Telegram groups); its title
  // and a user's name are asked of VK once (fetchProfile): the callback carries ids only.
  return { externalId: String(m.peer_id), name: null };
}

/** Normalises one stored Callback API event. */
export function parseVkEvent(payload: unknown): InboundEvent[] {
  const cb: VkCallback = vkCallback.parse(payload);
  switch (cb.type) {
    case 'message_new': {
      // Before API 5.103 the object was the message itself.
      const wrapped = typeof cb.object === 'object' && cb.object !== null && 'message' in cb.object;
      const m = wrapped ? vkMessageNew.parse(cb.object).message : vkMessage.parse(cb.object);
      return messageEvent(m, false);
    }
    case 'message_edit': {
      const m = vkMessage.parse(cb.object);
      // Only the customer's own edits change what they said; the community's edits are not inbound.
      if ((m.from_id ?? 0) < 0 || m.out === 1) return [];
      return messageEvent(m, true);
    }
    case 'message_reply':
      return echoEvent(vkMessage.parse(cb.object));
    case 'message_allow': {
      const o = vkMessageAllow.parse(cb.object);
      return [
        {
          kind: 'consent',
          contact: { externalId: String(o.user_id), name: null },
          optIn: true,
          source: o.key ? `vk:message_allow:${o.key.slice(0, 100)}` : 'vk:message_allow',
        },
      ];
    }
    case 'message_deny': {
      const o = vkMessageDeny.parse(cb.object);
      return [
        {
          kind: 'consent',
          contact: { externalId: String(o.user_id), name: null },
          optIn: false,
          source: 'vk:message_deny',
        },
      ];
    }
    default:
      return [];
  }
}

function messageEvent(m: VkMessage, edited: boolean): InboundEvent[] {
  const id = vkMessageId(m);
  if (!id || m.peer_id === undefined) return [];
  const content = contentOf(m);
  const meta: Record<string, unknown> = {
    vk: {
      peerId: m.peer_id,
      fromId: m.from_id ?? null,
      conversationMessageId: m.conversation_message_id ?? null,
      ...(m.id ? { messageId: m.id } : {}),
      ...(m.ref ? { ref: m.ref, refSource: m.ref_source ?? null } : {}),
      ...(m.payload ? { payload: m.payload.slice(0, 1000) } : {}),
    },
    ...(isChatPeer(m.peer_id) && m.from_id !== undefined ? { author: { id: String(m.from_id) } } : {}),
    ...content.meta,
  };
  return [
    {
      kind: 'message',
      providerMessageId: id,
      contact: contactOf(m),
      contentKind: content.kind,
      text: content.text,
      attachments: content.attachments,
      providerTs: m.date !== undefined ? m.date * 1000 : null,
      meta,
      ...(edited ? { editedAt: (m.update_time ?? m.date ?? 0) * 1000 } : {}),
    },
  ];
}

/**
 * `message_reply`: a copy of a message the community sent. Ours carry the random_id we derived from our
 * message id (recognised by it, never stored twice); one an admin typed in VK itself (`admin_author_id`)
 * is stored as an outbound message by "VK community".
 */
function echoEvent(m: VkMessage): InboundEvent[] {
  const id = vkMessageId(m);
  if (!id || m.peer_id === undefined) return [];
  const content = contentOf(m);
  const viaApi = !m.admin_author_id && m.random_id !== undefined && m.random_id !== 0;
  // Ours by the random_id we sent; else by the message id `messages.send` answered (kept as
  // `<peer>_id<id>`), which a dialog's echo repeats.
  const echoId = viaApi
    ? vkRandomKey(m.peer_id, m.random_id!)
    : !m.admin_author_id && m.id
      ? `${m.peer_id}_id${m.id}`
      : id;
  return [
    {
      kind: 'echo',
      providerMessageId: echoId,
      contact: contactOf(m),
      contentKind: content.kind,
      text: content.text,
      attachments: content.attachments,
      providerTs: m.date !== undefined ? m.date * 1000 : null,
      ourMessageId: null,
      author: VK_COMMUNITY_AUTHOR,
      ownSendsMarked: false,
      meta: {
        vk: {
          peerId: m.peer_id,
          conversationMessageId: m.conversation_message_id ?? null,
          ...(m.admin_author_id ? { adminAuthorId: m.admin_author_id } : {}),
        },
        ...content.meta,
      },
    },
  ];
}

interface Content {
  kind: ContentKind;
  text: string | null;
  attachments: InboundAttachment[];
  meta: Record<string, unknown>;
}

/** Attachments VK allows on one message, plus what forwards bring along. */
const MAX_FILES = 20;

function contentOf(m: VkMessage): Content {
  const attachments: InboundAttachment[] = [];
  const meta: Record<string, unknown> = {};
  const lines: string[] = [];
  let kind: ContentKind | null = null;
  for (const a of m.attachments ?? []) {
    const r = readAttachment(a);
    if (r.file && attachments.length < MAX_FILES) {
      attachments.push(r.file);
      kind ??= r.file.kind;
    }
    if (r.line) lines.push(r.line);
    Object.assign(meta, r.meta);
  }
  if (m.geo) {
    const { latitude, longitude } = m.geo.coordinates;
    const place = m.geo.place?.title;
    meta.location = { latitude, longitude, ...(place ? { name: place } : {}) };
    lines.push(place ? `${place} (${latitude}, ${longitude})` : `${latitude}, ${longitude}`);
    kind ??= 'location';
  }
  // Replies and forwards are kept as quoted content: the reply's target by id (and its text), the
  // forwarded messages as quoted lines, with their files.
  if (m.reply_message) {
    const q = m.reply_message;
    const replyId = vkMessageId({ ...q, peer_id: q.peer_id ?? m.peer_id });
    if (replyId) meta.replyTo = replyId;
    meta.quote = { fromId: q.from_id ?? null, text: q.text ? unescapeVk(q.text) : null };
  }
  const forwards = m.fwd_messages ?? [];
  if (forwards.length > 0) {
    meta.forwarded = forwards.map((f) => ({ fromId: f.from_id ?? null, date: f.date ?? null }));
    for (const f of forwards) {
      const fc = contentOf(f);
      for (const a of fc.attachments) if (attachments.length < MAX_FILES) attachments.push(a);
      const body =
        fc.text ?? (fc.attachments.length > 0 ? `[${fc.attachments.map((a) => a.kind).join(', ')}]` : '');
      lines.push(['> Forwarded:', ...body.split('\n')].join('\n> '));
    }
  }
  const own = m.text ? unescapeVk(m.text) : '';
  const text = [own, ...lines].filter((x) => x.length > 0).join('\n');
  if (!kind) kind = own || lines.length > 0 ? 'text' : (attachments[0]?.kind ?? 'text');
  if (!own && lines.length === 0 && attachments.length === 0) {
    return {
      kind: 'system',
      text: 'The customer sent a VK message Switchboard cannot show',
      attachments: [],
      meta: { ...meta, unsupported: true },
    };
  }
  // A file message's own text is its caption; link lines are part of the text either way.
  return { kind, text: text || null, attachments, meta };
}
