import type { ChannelCapabilities } from '@switchboard/shared';
import { viberOutboundMedia } from './viber-media.ts';
import { TEXT_MAX } from './viber-send.ts';

/**
 * A bot may write to subscribed users at any time (an unsubscribe is their opt-out, scope `viber`).
 * Viber's 24-hour session, opened by each customer message, does not limit sending: messages outside it
 * are chatbot-initiated and billed by Viber, so it is declared as a billable session, not a window.
 */
export const viberCapabilities: ChannelCapabilities = {
  window: {
    providerWindowMs: null,
    defaultWindow: { unit: 'unlimited' },
    unlimitedAllowed: true,
    templates: false,
    tags: [],
    optInLifts: true,
    billableSessionMs: 24 * 3_600_000,
  },
  consentScope: 'viber',
  addressing: {
    format: 'text',
    importable: false,
    phone: false,
    example: '01234567890A=',
    noun: { en: 'Viber user id', ru: 'идентификатор пользователя Viber' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'document', 'location', 'contact'],
    textMaxLength: TEXT_MAX,
    media: viberOutboundMedia,
  },
  features: {
    edits: false,
    deletions: false,
    reactions: false,
    deliveryReceipts: true,
    readReceipts: true,
    typing: false,
    buttons: false,
  },
};
