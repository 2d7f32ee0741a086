import type { ChannelCapabilities } from '@switchboard/shared';
import { anyOutboundMedia } from '../any-media.ts';
import { SWITCHBOARD_WINDOW } from '../window-defaults.ts';

/**
 * Switchboard is the provider: no outside window (an admin may make it unlimited), visitor ids are made
 * by the widget (nothing to import), receipts and typing come over the visitor's socket.
 */
export const widgetCapabilities: ChannelCapabilities = {
  window: { ...SWITCHBOARD_WINDOW, unlimitedAllowed: true },
  consentScope: 'widget',
  addressing: {
    format: 'none',
    importable: false,
    phone: false,
    example: null,
    noun: { en: 'website chat visitor', ru: 'посетитель чата на сайте' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker'],
    textMaxLength: null,
    media: anyOutboundMedia,
  },
  features: {
    edits: false,
    deletions: false,
    reactions: false,
    deliveryReceipts: true,
    readReceipts: true,
    typing: true,
    buttons: true,
  },
};
