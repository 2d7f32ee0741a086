import type { ContentKind } from '@switchboard/shared';

/** The content kind a file is shown and sent as, from its MIME type (documents when unknown). */
export function kindOfMime(mime: string | null | undefined): ContentKind {
  if (!mime) return 'document';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}
