import type { OutboundMedia } from '@switchboard/shared';

/**
 * Plain SMS carries no files: an attachment goes as its signed download link at the end of the text
 * (any type; the link is what the customer receives).
 */
export const vonageOutboundMedia: OutboundMedia = {
  rules: [{ kind: 'file', mimeTypes: 'any', maxBytes: 100 * 1024 * 1024 }],
  maxTotalBytes: null,
};
