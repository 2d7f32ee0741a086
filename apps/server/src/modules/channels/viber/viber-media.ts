import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * What `send_message` takes by URL (Viber REST Bot API, message types): pictures JPEG/PNG (and
 * non-animated GIF) up to 1 MB, videos MP4 (H.264) up to 26 MB, any other file up to 50 MB.
 */
export const viberOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 1 * MB },
    { kind: 'video', mimeTypes: ['video/mp4'], maxBytes: 26 * MB },
    { kind: 'file', mimeTypes: 'any', maxBytes: 50 * MB },
  ],
  maxTotalBytes: null,
};
