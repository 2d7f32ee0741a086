import type { ChannelCapabilities } from '@switchboard/shared';
import { anyOutboundMedia } from '../any-media.ts';
import { SWITCHBOARD_WINDOW } from '../window-defaults.ts';

/** The business's own system: it knows its customers' ids and may be written to at any time. */
export const apiChannelCapabilities: ChannelCapabilities = {
  window: SWITCHBOARD_WINDOW,
  consentScope: 'api',
  addressing: {
    format: 'text',
    importable: true,
    phone: false,
    example: 'customer-42',
    noun: { en: 'id in your system', ru: 'идентификатор в вашей системе' },
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
    deliveryReceipts: false,
    readReceipts: false,
    typing: false,
    buttons: false,
  },
};
