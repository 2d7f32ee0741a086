import type { ContentKind } from '@switchboard/shared';
import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { splitText } from '../split-text.ts';
import { type Http, callBotApi } from './telegram-client.ts';
import { telegramJobError } from './telegram-errors.ts';
import { telegramMessageId } from './telegram-parse.ts';
import type { TgSentMessage } from './telegram-types.ts';

const TEXT_MAX = 4096;
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

export function kindOfMime(mime: string | null): ContentKind {
  if (!mime) return 'document';
  if (mime === 'audio/ogg') return 'voice';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}

/** Bot API chat ids are integers; `@channelusername` strings are passed through. */
function chatIdOf(externalId: string): number | string {
  return /^-?\d+$/.test(externalId) ? Number(externalId) : externalId;
}

/**
 * One operator message as Telegram messages: each attachment by URL (Telegram fetches it) with the text
 * as caption when it fits, then the text in 4096-character parts. The first sent message's id is kept.
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
  const captionFits = text !== null && text.length <= CAPTION_MAX && message.attachments.length === 1;
  let captionSent = false;
  const sent: TgSentMessage[] = [];
  const call = async (method: string, params: Record<string, unknown>) => {
    try {
      sent.push(
        await callBotApi<TgSentMessage>(http, channel, method, { chat_id: chatId, ...reply, ...params }),
      );
    } catch (err) {
      throw telegramJobError(err);
    }
    reply = undefined;
  };

  for (const a of message.attachments) {
    if (!a.url || !/^https?:\/\//.test(a.url)) {
      throw new PermanentError(
        'The attachment has no public URL Telegram could fetch it from',
        'attachment_unavailable',
      );
    }
    const kind = a.kind ?? kindOfMime(a.mimeType);
    const [method, field] = MEDIA_METHOD[kind] ?? ['sendDocument', 'document'];
    const withCaption = captionFits && method !== 'sendSticker';
    await call(method, { [field]: a.url, ...(withCaption ? { caption: text } : {}) });
    captionSent ||= withCaption;
  }
  if (text !== null && !captionSent) {
    for (const part of splitText(text, TEXT_MAX)) await call('sendMessage', { text: part });
  }
  const first = sent[0];
  if (!first) throw new PermanentError('Nothing to send: the message has no text and no attachment', 'empty');
  return { providerMessageId: telegramMessageId(first.chat.id, first.message_id) };
}
