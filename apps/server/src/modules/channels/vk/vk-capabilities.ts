import type { ChannelCapabilities, OutboundMedia } from '@switchboard/shared';
import { SWITCHBOARD_WINDOW } from '../window-defaults.ts';
import { TEXT_MAX } from './vk-send.ts';
import { DOC_MAX, PHOTO_MAX } from './vk-upload.ts';

/** What VK's upload servers take for messages: photos (JPEG, PNG, GIF) and documents. */
export const vkOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: PHOTO_MAX },
    { kind: 'file', mimeTypes: 'any', maxBytes: DOC_MAX },
  ],
  maxTotalBytes: null,
};

/**
 * A community may write to a user who wrote first or allowed messages, with no provider window
 * (channels.md §7c): Switchboard's own window applies, and the customer's `message_allow` lifts it.
 * The Callback API reports edits but no delivery or read receipts.
 */
export const vkCapabilities: ChannelCapabilities = {
  window: SWITCHBOARD_WINDOW,
  consentScope: 'vk',
  addressing: {
    format: 'integer',
    importable: false,
    phone: false,
    example: '123456789',
    noun: { en: 'VK peer id', ru: 'идентификатор собеседника во ВКонтакте' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'voice', 'document'],
    textMaxLength: TEXT_MAX,
    media: vkOutboundMedia,
  },
  features: {
    edits: true,
    deletions: false,
    reactions: false,
    deliveryReceipts: false,
    readReceipts: false,
    typing: false,
    buttons: false,
  },
};
