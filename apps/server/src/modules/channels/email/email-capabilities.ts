import type { ChannelCapabilities } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * E-mail has no messaging window (the business may write at any time, like a letter); what limits it
 * is the customer's consent and the loop guard. Attachments: common servers refuse mails over 25 MB,
 * base64 makes files a third larger, so 18 MB of files per mail.
 */
export const emailCapabilities: ChannelCapabilities = {
  window: {
    providerWindowMs: null,
    defaultWindow: { unit: 'unlimited' },
    unlimitedAllowed: true,
    templates: false,
    tags: [],
    optInLifts: true,
  },
  consentScope: 'email',
  addressing: {
    format: 'text',
    importable: true,
    phone: false,
    example: 'customer@example.com',
    noun: { en: 'e-mail address', ru: 'адрес электронной почты' },
  },
  outbound: {
    contentKinds: ['text', 'image', 'video', 'audio', 'document'],
    textMaxLength: null,
    media: {
      rules: [{ kind: 'file', mimeTypes: 'any', maxBytes: 18 * MB }],
      maxTotalBytes: 18 * MB,
    },
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
