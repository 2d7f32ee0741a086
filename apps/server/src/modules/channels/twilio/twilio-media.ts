import type { OutboundMedia } from '@switchboard/shared';

const MB = 1024 * 1024;

/**
 * Twilio MMS: 5 MB for all media of a message together. JPEG, PNG and GIF are formatted for every
 * handset; the other types Twilio accepts are passed on as they are.
 */
export const twilioOutboundMedia: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 5 * MB },
    {
      kind: 'file',
      mimeTypes: [
        'image/bmp',
        'image/tiff',
        'audio/mpeg',
        'audio/mp4',
        'audio/ogg',
        'audio/amr',
        'audio/3gpp',
        'video/mp4',
        'video/mpeg',
        'video/quicktime',
        'video/webm',
        'video/3gpp',
        'text/vcard',
        'text/x-vcard',
        'text/csv',
        'text/rtf',
        'text/calendar',
        'application/pdf',
      ],
      maxBytes: 5 * MB,
    },
  ],
  maxTotalBytes: 5 * MB,
};
