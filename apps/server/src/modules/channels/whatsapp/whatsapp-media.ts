import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;
const IMAGE = ['image/jpeg', 'image/png'];
const VIDEO = ['video/mp4', 'video/3gpp'];
const AUDIO = ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'];

/**
 * What the Cloud API carries from an upload (its documented limits), the same rules `uploadType` in
 * whatsapp-send.ts applies when sending: media over its own type's limit goes as a document. No GIF,
 * WebP or other image types; stickers (WebP) are not sent from uploads.
 */
export const whatsappOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: IMAGE, maxBytes: 5 * MB },
    { kind: 'video', mimeTypes: VIDEO, maxBytes: 16 * MB },
    { kind: 'audio', mimeTypes: AUDIO, maxBytes: 16 * MB },
    {
      kind: 'document',
      mimeTypes: [
        'application/pdf',
        'text/plain',
        'application/msword',
        'application/vnd.ms-excel',
        'application/vnd.ms-powerpoint',
        'application/vnd.openxmlformats-officedocument.*',
        ...IMAGE,
        ...VIDEO,
        ...AUDIO,
      ],
      maxBytes: 100 * MB,
    },
  ],
  maxTotalBytes: null,
};
