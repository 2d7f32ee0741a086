import type { ContentKind } from '@switchboard/shared';
import { isInlineSafe } from '../media/sniff.ts';

/** Where a channel reads a type differently from the rest. */
export interface KindRules {
  /** OGG audio is a voice note (Telegram sends those with sendVoice). */
  oggIsVoice?: boolean;
  /** Only image types a browser shows safely count as images (the widget serves files to visitors). */
  safeImagesOnly?: boolean;
}

/** The one rule for the content kind a file is shown and sent as, from its MIME type (documents when unknown). */
export function kindOfMime(mime: string | null | undefined, rules: KindRules = {}): ContentKind {
  if (!mime) return 'document';
  if (rules.oggIsVoice && mime === 'audio/ogg') return 'voice';
  if (mime.startsWith('image/')) return !rules.safeImagesOnly || isInlineSafe(mime) ? 'image' : 'document';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}
