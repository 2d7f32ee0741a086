import type { ChannelCapabilities } from '@switchboard/shared';
import { META_WINDOW } from '../meta/meta-capabilities.ts';
import { messengerOutboundMedia } from './messenger-media.ts';

export const MESSENGER_TEXT_MAX = 2000;

export const messengerCapabilities: ChannelCapabilities = {
  window: META_WINDOW,
  consentScope: 'messenger',
  // A PSID exists only once the person wrote to the Page: contacts cannot be imported ahead.
  addressing: {
    format: 'text',
    importable: false,
    phone: false,
    example: null,
    noun: { en: 'Page-scoped ID (PSID)', ru: 'идентификатор на странице (PSID)' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'document'],
    textMaxLength: MESSENGER_TEXT_MAX,
    media: messengerOutboundMedia,
  },
  features: {
    edits: true,
    deletions: false,
    reactions: true,
    deliveryReceipts: true,
    readReceipts: true,
    typing: false,
    buttons: false,
  },
};
