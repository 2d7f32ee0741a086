import type { ChannelCapabilities } from '@switchboard/shared';
import { HOUR_MS } from '../window-defaults.ts';
import { whatsappOutboundMedia } from './whatsapp-media.ts';
import { TEXT_MAX } from './whatsapp-send.ts';

/**
 * The 24-hour customer service window is Meta's, not the admin's; after it only an approved template
 * passes, opt-in or not.
 */
export const whatsappCapabilities: ChannelCapabilities = {
  window: {
    providerWindowMs: 24 * HOUR_MS,
    defaultWindow: { unit: 'hours', value: 24 },
    unlimitedAllowed: false,
    templates: true,
    tags: [],
    optInLifts: false,
  },
  consentScope: 'whatsapp',
  addressing: {
    format: 'e164_digits',
    importable: true,
    phone: true,
    example: '15551234567',
    noun: { en: 'WhatsApp number', ru: 'номер WhatsApp' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'document', 'template'],
    textMaxLength: TEXT_MAX,
    media: whatsappOutboundMedia,
  },
  features: {
    edits: true,
    deletions: true,
    reactions: true,
    deliveryReceipts: true,
    readReceipts: true,
    typing: false,
    buttons: true,
  },
};
