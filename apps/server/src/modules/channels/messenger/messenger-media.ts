import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * What the Send API takes as an attachment: images, video, audio and other files up to 25 MB each
 * (Messenger Platform attachment limit); one attachment per message, so each goes as its own message.
 */
export const messengerOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 8 * MB },
    { kind: 'video', mimeTypes: ['video/*'], maxBytes: 25 * MB },
    { kind: 'audio', mimeTypes: ['audio/*'], maxBytes: 25 * MB },
    { kind: 'document', mimeTypes: 'any', maxBytes: 25 * MB },
  ],
  maxTotalBytes: null,
};
