import type { ChannelCapabilities } from '@switchboard/shared';
import { twilioOutboundMedia } from './twilio-media.ts';
import { BODY_MAX } from './twilio-send.ts';

/**
 * SMS has no provider window (the business may text first); the STOP/START opt-out rules are what limit
 * it, and they hold for every SMS channel of the business: one consent scope `sms`.
 */
export const twilioSmsCapabilities: ChannelCapabilities = {
  window: {
    providerWindowMs: null,
    defaultWindow: { unit: 'unlimited' },
    unlimitedAllowed: true,
    templates: false,
    tags: [],
    optInLifts: true,
  },
  consentScope: 'sms',
  addressing: {
    format: 'e164',
    importable: true,
    phone: true,
    example: '+15551234567',
    noun: { en: 'phone number', ru: 'номер телефона' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'document'],
    textMaxLength: BODY_MAX,
    media: twilioOutboundMedia,
  },
  features: {
    edits: false,
    deletions: false,
    reactions: false,
    deliveryReceipts: true,
    readReceipts: false,
    typing: false,
    buttons: false,
  },
};
