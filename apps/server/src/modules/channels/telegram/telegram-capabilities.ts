import type { ChannelCapabilities } from '@switchboard/shared';
import { SWITCHBOARD_WINDOW } from '../window-defaults.ts';
import { telegramOutboundMedia } from './telegram-media.ts';
import { TEXT_MAX } from './telegram-send.ts';

/**
 * A bot may write to anyone who started it, at any time: no provider window. Bots get edits
 * (`edited_message`) but no receipts, deletions or (unsubscribed) reactions.
 */
export const telegramCapabilities: ChannelCapabilities = {
  window: SWITCHBOARD_WINDOW,
  consentScope: 'telegram',
  addressing: {
    format: 'integer',
    importable: true,
    phone: false,
    example: '123456789',
    noun: { en: 'Telegram chat id', ru: 'идентификатор чата Telegram' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker'],
    textMaxLength: TEXT_MAX,
    media: telegramOutboundMedia,
  },
  features: {
    edits: true,
    deletions: false,
    reactions: false,
    deliveryReceipts: false,
    readReceipts: false,
    typing: false,
    buttons: true,
  },
};
