import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * Bot API multipart uploads (as telegram-send.ts sends them): photos up to 10 MB, any file up to 50 MB
 * (a larger photo goes as a document).
 */
export const telegramOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * MB },
    { kind: 'file', mimeTypes: 'any', maxBytes: 50 * MB },
  ],
  maxTotalBytes: null,
};
