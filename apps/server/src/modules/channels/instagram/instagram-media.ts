import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * What Instagram messaging takes by URL: PNG/JPEG/GIF images up to 8 MB, MP4/OGG/AVI/MOV/WebM video and
 * AAC/M4A/WAV/MP4 audio up to 25 MB, PDF files up to 25 MB.
 */
export const instagramOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 8 * MB },
    {
      kind: 'video',
      mimeTypes: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/quicktime', 'video/webm'],
      maxBytes: 25 * MB,
    },
    {
      kind: 'audio',
      mimeTypes: ['audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/wav', 'audio/x-wav', 'audio/mpeg'],
      maxBytes: 25 * MB,
    },
    { kind: 'document', mimeTypes: ['application/pdf'], maxBytes: 25 * MB },
  ],
  maxTotalBytes: null,
};
