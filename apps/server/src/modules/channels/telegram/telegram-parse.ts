import type { InboundAttachment, InboundContact, InboundEvent } from '../channel-adapter.ts';
import {
  type TgCallbackQuery,
  type TgMessage,
  type TgUpdate,
  tgUpdate,
  tgUpdateFields,
} from './telegram-types.ts';

/** `(chat.id, message_id)`: message ids are unique only within a chat. */
export function telegramMessageId(chatId: number | string, messageId: number | string): string {
  return `${chatId}:${messageId}`;
}

/** Service messages (members joining, title changes, pins): nothing a customer said. */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'message_auto_delete_timer_changed',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_scheduled',
  'video_chat_participants_invited',
  'chat_shared',
  'users_shared',
  'write_access_allowed',
  'boost_added',
];

const OTHER_CONTENT = ['poll', 'dice', 'game', 'story', 'invoice', 'paid_media', 'giveaway', 'checklist'];

/** Normalises one stored Update. Private chat: the customer is the contact; group: the group is. */
export function parseTelegramUpdate(payload: unknown): InboundEvent[] {
  const update: TgUpdate = tgUpdate.parse(payload);
  const raw = tgUpdateFields.parse(payload);
  if (update.message) return parseMessage(update.message, raw.message ?? {});
  if (update.edited_message) return parseMessage(update.edited_message, raw.edited_message ?? {}, true);
  if (update.callback_query) return parseButtonTap(update.callback_query);
  return [];
}

/**
 * A tap on one of our inline buttons, as the customer's answer: the button's title as the text (looked
 * up in the keyboard the update carries; the data itself when the keyboard is gone) and its
 * callback_data as `meta.buttonId`. Keyed on the query's id, so a redelivered update adds nothing. Taps
 * on inline-mode messages (no chat) and game buttons (no data) are not answers of a conversation.
 */
function parseButtonTap(q: TgCallbackQuery): InboundEvent[] {
  const m = q.message;
  if (!m || q.data === undefined) return [];
  const title =
    m.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === q.data)?.text ?? q.data;
  const contact: InboundContact =
    m.chat.type === 'private'
      ? { externalId: String(m.chat.id), name: fullName(q.from) ?? q.from.username ?? null }
      : { externalId: String(m.chat.id), name: m.chat.title ?? 'Telegram group' };
  return [
    {
      kind: 'message',
      providerMessageId: `cb:${q.id}`,
      contact,
      contentKind: 'text',
      text: title,
      attachments: [],
      // A tap carries no time of its own: the time it is received stands for it.
      providerTs: null,
      meta: {
        buttonId: q.data,
        telegram: { chatId: m.chat.id, chatType: m.chat.type, callbackQueryId: q.id },
        author: { id: String(q.from.id), name: fullName(q.from), username: q.from.username ?? null },
        replyTo: telegramMessageId(m.chat.id, m.message_id),
      },
    },
  ];
}

function fullName(p: { first_name?: string; last_name?: string }): string | null {
  const n = [p.first_name, p.last_name].filter(Boolean).join(' ').trim();
  return n.length > 0 ? n : null;
}

function contactOf(m: TgMessage): InboundContact {
  if (m.chat.type === 'private') {
    return { externalId: String(m.chat.id), name: fullName(m.from ?? m.chat) ?? m.chat.username ?? null };
  }
  return { externalId: String(m.chat.id), name: m.chat.title ?? 'Telegram group' };
}

function parseMessage(m: TgMessage, raw: Record<string, unknown>, edited = false): InboundEvent[] {
  if (SERVICE_FIELDS.some((f) => f in raw)) return [];
  const content = contentOf(m, raw);
  const author = m.from
    ? { id: String(m.from.id), name: fullName(m.from), username: m.from.username ?? null }
    : m.sender_chat
      ? { id: String(m.sender_chat.id), name: m.sender_chat.title ?? null, username: null }
      : undefined;
  const meta: Record<string, unknown> = {
    telegram: {
      chatId: m.chat.id,
      chatType: m.chat.type,
      messageId: m.message_id,
      ...(m.message_thread_id !== undefined ? { threadId: m.message_thread_id } : {}),
      ...(m.media_group_id ? { mediaGroupId: m.media_group_id } : {}),
      ...(m.chat.username ? { username: m.chat.username } : {}),
    },
    ...(author ? { author } : {}),
    ...(m.reply_to_message ? { replyTo: telegramMessageId(m.chat.id, m.reply_to_message.message_id) } : {}),
    ...content.meta,
  };
  return [
    {
      kind: 'message',
      providerMessageId: telegramMessageId(m.chat.id, m.message_id),
      contact: contactOf(m),
      contentKind: content.kind,
      text: content.text,
      attachments: content.attachments,
      providerTs: m.date * 1000,
      meta,
      ...(edited ? { editedAt: (m.edit_date ?? m.date) * 1000 } : {}),
    },
  ];
}

interface Content {
  kind: Extract<InboundEvent, { kind: 'message' }>['contentKind'];
  text: string | null;
  attachments: InboundAttachment[];
  meta?: Record<string, unknown>;
}

function contentOf(m: TgMessage, raw: Record<string, unknown>): Content {
  const caption = m.caption ?? null;
  const file = (
    kind: InboundAttachment['kind'],
    f: { file_id: string; file_size?: number; mime_type?: string; file_name?: string },
    mimeType?: string,
    name?: string,
  ): Content => ({
    kind,
    text: caption,
    attachments: [
      {
        kind,
        providerRef: f.file_id,
        size: f.file_size,
        mimeType: f.mime_type ?? mimeType,
        name: f.file_name ?? name,
      },
    ],
  });
  if (m.text !== undefined) return { kind: 'text', text: m.text, attachments: [] };
  // Sizes come smallest first: the last one is the original resolution.
  if (m.photo && m.photo.length > 0) return file('image', m.photo[m.photo.length - 1]!, 'image/jpeg');
  if (m.animation) return file('video', m.animation, 'video/mp4');
  if (m.video) return file('video', m.video, 'video/mp4');
  if (m.video_note) return file('video', m.video_note, 'video/mp4');
  if (m.voice) return file('voice', m.voice, 'audio/ogg');
  if (m.audio) {
    const title = [m.audio.performer, m.audio.title].filter(Boolean).join(' - ');
    return file('audio', m.audio, 'audio/mpeg', title ? `${title}.mp3` : undefined);
  }
  if (m.document) return file('document', m.document, 'application/octet-stream');
  if (m.sticker) {
    const s = m.sticker;
    const mime = s.is_animated ? 'application/x-tgsticker' : s.is_video ? 'video/webm' : 'image/webp';
    return {
      ...file('sticker', s, mime),
      text: null,
      meta: { sticker: { emoji: s.emoji ?? null, setName: s.set_name ?? null } },
    };
  }
  if (m.venue) {
    const l = m.venue.location;
    return {
      kind: 'location',
      text: `${m.venue.title}, ${m.venue.address} (${l.latitude}, ${l.longitude})`,
      attachments: [],
      meta: {
        location: {
          latitude: l.latitude,
          longitude: l.longitude,
          name: m.venue.title,
          address: m.venue.address,
        },
      },
    };
  }
  if (m.location) {
    const l = m.location;
    return {
      kind: 'location',
      text: `${l.latitude}, ${l.longitude}`,
      attachments: [],
      meta: {
        location: {
          latitude: l.latitude,
          longitude: l.longitude,
          ...(l.live_period ? { livePeriod: l.live_period } : {}),
        },
      },
    };
  }
  if (m.contact) {
    const c = m.contact;
    const name = fullName(c) ?? '';
    return {
      kind: 'contact',
      text: `${name} ${c.phone_number}`.trim(),
      attachments: [],
      meta: {
        sharedContact: {
          name,
          phone: c.phone_number,
          ...(c.user_id !== undefined ? { telegramUserId: c.user_id } : {}),
          ...(c.vcard ? { vcard: c.vcard } : {}),
        },
      },
    };
  }
  const other = OTHER_CONTENT.find((f) => f in raw) ?? 'unknown';
  return {
    kind: 'system',
    text: `The customer sent a Telegram ${other} message, which Switchboard cannot show`,
    attachments: [],
    meta: { unsupported: other },
  };
}
