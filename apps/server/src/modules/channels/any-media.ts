import type { OutboundMedia } from '@switchboard/shared';

/**
 * Channels that pass Switchboard's own files on (API callbacks get a signed link, the widget shows
 * them): any type, limited only by MEDIA_MAX_BYTES (applied by `capOutboundMedia`).
 */
export const anyOutboundMedia: OutboundMedia = {
  rules: [{ kind: 'file', mimeTypes: 'any', maxBytes: Number.MAX_SAFE_INTEGER }],
  maxTotalBytes: null,
};
