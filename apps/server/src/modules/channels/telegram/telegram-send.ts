import type { ContentKind, OutboundButton } from '@switchboard/shared';
import { kindOfMime } from '../../messages/content-kind.ts';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { captionPlan } from '../caption-plan.ts';
import { splitText } from '../split-text.ts';
import { type Http, type InputFile, callBotApi, callBotApiUpload } from './telegram-client.ts';
import { telegramJobError } from './telegram-errors.ts';
import { telegramMessageId } from './telegram-parse.ts';
import type { TgSentMessage } from './telegram-types.ts';

export const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

/** Send method and its file field for each content kind. */
const MEDIA_METHOD: Partial<Record<ContentKind, [string, string]>> = {
  image: ['sendPhoto', 'photo'],
  video: ['sendVideo', 'video'],
  voice: ['sendVoice', 'voice'],
  audio: ['sendAudio', 'audio'],
  document: ['sendDocument', 'document'],
  sticker: ['sendSticker', 'sticker'],
};

/** Largest multipart upload the Bot API takes; photos have their own, smaller limit. */
const UPLOAD_MAX = 50 * 1024 * 1024;
const PHOTO_UPLOAD_MAX = 10 * 1024 * 1024;

/**
 * How an uploaded file goes out: photos only for the formats Telegram shows as photos (and within the
 * photo limit; larger ones as documents, unscaled), GIFs as animations, audio as voice or audio.
 */
export function uploadMethod(mime: string | null, size: number): [string, string] {
  const m = mime ?? '';
  if (/^image\/(jpeg|png|webp)$/.test(m) && size <= PHOTO_UPLOAD_MAX) return ['sendPhoto', 'photo'];
  if (m === 'image/gif') return ['sendAnimation', 'animation'];
  if (m === 'video/mp4') return ['sendVideo', 'video'];
  if (m === 'audio/ogg') return ['sendVoice', 'voice'];
  if (m === 'audio/mpeg' || m === 'audio/mp4') return ['sendAudio', 'audio'];
  return ['sendDocument', 'document'];
}

/**
 * An `InlineKeyboardMarkup` of callback buttons: a short scale (up to 5 titles of a few characters, like
 * the CSAT faces) on one row, anything longer one button a row so titles are not cut.
 */
export function inlineKeyboard(buttons: readonly OutboundButton[]): {
  inline_keyboard: { text: string; callback_data: string }[][];
} {
  const keys = buttons.map((b) => ({ text: b.title, callback_data: b.id }));
  const oneRow = keys.length <= 5 && buttons.every((b) => [...b.title].length <= 4);
  return { inline_keyboard: oneRow ? [keys] : keys.map((k) => [k]) };
}

/** Bot API chat ids are integers; `@channelusername` strings are passed through. */
function chatIdOf(externalId: string): number | string {
  return /^-?\d+$/.test(externalId) ? Number(externalId) : externalId;
}

type Attachment = OutboundMessage['attachments'][number];

/** The send method and file field of one attachment (before anything is sent, so the caption's place is known). */
function methodOf(a: Attachment): [string, string] {
  if (a.stored) return uploadMethod(a.mimeType, a.stored.size);
  const kind = a.kind ?? kindOfMime(a.mimeType, { oggIsVoice: true });
  return MEDIA_METHOD[kind] ?? ['sendDocument', 'document'];
}

/**
 * One operator message as Telegram messages, in the order the console shows it (text above files): the
 * text as the first file's caption when it fits (1024 characters; a sticker takes none), else the text
 * in 4096-character parts first; then each attachment uploaded (a file Switchboard holds, as a multipart
 * InputFile) or by URL (Telegram fetches it). The first sent message's id is kept.
 */
export async function sendTelegramMessage(
  http: Http,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  const chatId = chatIdOf(message.contactExternalId);
  const replyId = message.replyToProviderMessageId?.split(':')[1];
  let reply: Record<string, unknown> | undefined = replyId
    ? { reply_parameters: { message_id: Number(replyId), allow_sending_without_reply: true } }
    : undefined;
  const text = message.text?.trim() ? message.text : null;
  const first = message.attachments[0];
  const plan = captionPlan(
    text,
    message.attachments.length,
    first !== undefined && methodOf(first)[0] !== 'sendSticker',
    CAPTION_MAX,
  );
  const sent: TgSentMessage[] = [];
  // Buttons ride on the last message sent, under everything the customer reads before answering.
  const parts = text !== null && plan === 'before' ? splitText(text, TEXT_MAX) : [];
  let remaining = parts.length + message.attachments.length;
  const keyboard = message.buttons?.length ? { reply_markup: inlineKeyboard(message.buttons) } : undefined;
  const call = async (method: string, params: Record<string, unknown>, files?: Record<string, InputFile>) => {
    const all = { chat_id: chatId, ...reply, ...params, ...(--remaining === 0 ? keyboard : {}) };
    try {
      sent.push(
        files
          ? await callBotApiUpload<TgSentMessage>(http, channel, method, all, files)
          : await callBotApi<TgSentMessage>(http, channel, method, all),
      );
    } catch (err) {
      throw telegramJobError(err);
    }
    reply = undefined;
  };

  // Refused before anything goes out: the customer never gets the text without its files.
  for (const a of message.attachments) {
    if (a.stored && a.stored.size > UPLOAD_MAX) {
      throw new PermanentError(
        `The file is larger than the ${UPLOAD_MAX}-byte limit of Telegram bots`,
        'too_large',
      );
    }
    if (!a.stored && (!a.url || !/^https?:\/\//.test(a.url))) {
      throw new PermanentError(
        'The attachment has no public URL Telegram could fetch it from',
        'attachment_unavailable',
      );
    }
  }
  for (const part of parts) await call('sendMessage', { text: part });
  for (const [i, a] of message.attachments.entries()) {
    const caption = i === 0 && plan === 'caption' ? { caption: text } : {};
    const [method, field] = methodOf(a);
    if (a.stored) {
      const file: InputFile = {
        bytes: await a.stored.read(),
        fileName: a.name ?? `file.${field}`,
        mimeType: a.mimeType ?? 'application/octet-stream',
      };
      await call(method, caption, { [field]: file });
      continue;
    }
    await call(method, { [field]: a.url, ...caption });
  }
  const head = sent[0];
  if (!head) throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  return { providerMessageId: telegramMessageId(head.chat.id, head.message_id) };
}
