import type { ChannelCapabilities } from '@switchboard/shared';
import { vonageOutboundMedia } from './vonage-media.ts';
import { TEXT_MAX } from './vonage-send.ts';

/**
 * SMS like Twilio's: no provider window, STOP/START decide; the consent scope `sms` is shared with every
 * SMS channel, so a STOP to one provider's number stops the others too.
 */
export const vonageSmsCapabilities: ChannelCapabilities = {
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
    format: 'e164_digits',
    importable: true,
    phone: true,
    example: '447700900000',
    noun: { en: 'phone number', ru: 'номер телефона' },
  },
  outbound: { contentKinds: ['text'], textMaxLength: TEXT_MAX, media: vonageOutboundMedia },
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
