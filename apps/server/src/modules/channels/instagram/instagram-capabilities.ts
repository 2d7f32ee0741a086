import type { ChannelCapabilities } from '@switchboard/shared';
import { META_WINDOW } from '../meta/meta-capabilities.ts';
import { instagramOutboundMedia } from './instagram-media.ts';

/** Instagram counts UTF-8 bytes (1,000 a message); splitting is by bytes, on character boundaries. */
export const INSTAGRAM_TEXT_MAX_BYTES = 1000;

export const instagramCapabilities: ChannelCapabilities = {
  window: META_WINDOW,
  consentScope: 'instagram',
  // An IGSID exists only once the person wrote to the account: contacts cannot be imported ahead.
  addressing: {
    format: 'text',
    importable: false,
    phone: false,
    example: null,
    noun: { en: 'Instagram-scoped ID (IGSID)', ru: 'идентификатор Instagram (IGSID)' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'document'],
    textMaxLength: INSTAGRAM_TEXT_MAX_BYTES,
    media: instagramOutboundMedia,
  },
  features: {
    edits: false,
    deletions: true,
    reactions: true,
    deliveryReceipts: false,
    readReceipts: true,
    typing: false,
    buttons: false,
  },
};
