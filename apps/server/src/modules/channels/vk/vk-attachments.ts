import type { ContentKind } from '@switchboard/shared';
import type { InboundAttachment } from '../channel-adapter.ts';
import type { VkAttachment } from './vk-types.ts';

/** What one VK attachment becomes: a file to download, and/or a line the operator reads. */
export interface ReadAttachment {
  file?: InboundAttachment;
  line?: string;
  meta?: Record<string, unknown>;
}

interface Sized {
  url?: unknown;
  src?: unknown;
  width?: unknown;
  height?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const httpUrl = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^https?:\/\//i.test(s) ? s : undefined;
};

/** The largest of VK's renditions (photo `sizes`, sticker `images`): by area, the last one on a tie. */
export function largest(sizes: unknown): string | undefined {
  if (!Array.isArray(sizes)) return undefined;
  let best: { url: string; area: number } | undefined;
  for (const s of sizes as Sized[]) {
    const url = httpUrl(s?.url) ?? httpUrl(s?.src);
    if (!url) continue;
    const area = (num(s.width) ?? 0) * (num(s.height) ?? 0);
    if (!best || area >= best.area) best = { url, area };
  }
  return best?.url;
}

function file(kind: ContentKind, url: string, extra: Partial<InboundAttachment> = {}): InboundAttachment {
  // The URL is VK's signed CDN link; the media pipeline fetches it (through resolveMedia) into storage.
  return { kind, url, providerRef: url, ...extra };
}

/** One attachment of a VK message (`{type, <type>: {...}}`). */
export function readAttachment(a: VkAttachment): ReadAttachment {
  const body = (a[a.type] ?? {}) as Record<string, unknown>;
  const owner = num(body.owner_id);
  const id = num(body.id);
  const ref = owner !== undefined && id !== undefined ? `${owner}_${id}` : null;
  switch (a.type) {
    case 'photo': {
      const orig = body.orig_photo as Sized | undefined;
      const url = httpUrl(orig?.url) ?? largest(body.sizes);
      return url
        ? { file: file('image', url, { mimeType: 'image/jpeg', name: ref ? `photo${ref}.jpg` : undefined }) }
        : { line: 'Photo (VK gave no link)' };
    }
    case 'audio_message': {
      const url = httpUrl(body.link_ogg) ?? httpUrl(body.link_mp3);
      const transcript = str(body.transcript);
      return {
        ...(url
          ? {
              file: file('voice', url, {
                mimeType: httpUrl(body.link_ogg) ? 'audio/ogg' : 'audio/mpeg',
                name: httpUrl(body.link_ogg) ? 'voice.ogg' : 'voice.mp3',
              }),
            }
          : { line: 'Voice message (VK gave no link)' }),
        meta: {
          voice: { duration: num(body.duration) ?? null, ...(transcript ? { transcript } : {}) },
        },
      };
    }
    case 'doc': {
      const url = httpUrl(body.url);
      const title = str(body.title) ?? 'document';
      const ext = str(body.ext);
      const name = ext && !title.toLowerCase().endsWith(`.${ext.toLowerCase()}`) ? `${title}.${ext}` : title;
      return url
        ? { file: file('document', url, { name, size: num(body.size) }) }
        : { line: `Document: ${name}` };
    }
    case 'graffiti': {
      const url = httpUrl(body.url);
      return url ? { file: file('image', url, { mimeType: 'image/png' }) } : { line: 'Graffiti' };
    }
    case 'sticker': {
      const url = largest(body.images) ?? largest(body.images_with_background);
      return {
        ...(url ? { file: file('sticker', url, { mimeType: 'image/png' }) } : { line: 'Sticker' }),
        meta: { sticker: { id: num(body.sticker_id) ?? null, productId: num(body.product_id) ?? null } },
      };
    }
    case 'video':
      // VK gives no file for a video, only its page.
      return {
        line: `Video${str(body.title) ? ` "${str(body.title)}"` : ''}: ${ref ? `https://vk.com/video${ref}` : '(no link)'}`,
      };
    case 'audio':
      return {
        line: `Music: ${[str(body.artist), str(body.title)].filter(Boolean).join(' — ') || 'a track'}`,
      };
    case 'link':
      return { line: [str(body.title), httpUrl(body.url)].filter(Boolean).join(' ') || 'Link' };
    case 'wall':
      return {
        line: `Wall post: ${num(body.from_id ?? body.owner_id) !== undefined && id !== undefined ? `https://vk.com/wall${num(body.from_id ?? body.owner_id)}_${id}` : '(no link)'}`,
      };
    case 'market':
      return {
        line: `Product: ${str(body.title) ?? ''}${ref ? ` https://vk.com/product${ref}` : ''}`.trim(),
      };
    case 'poll':
      return { line: `Poll: ${str(body.question) ?? ''}`.trim() };
    case 'gift':
      return { line: 'Gift' };
    case 'story':
      return { line: ref ? `Story: https://vk.com/story${ref}` : 'Story' };
    default:
      return { line: `Sent a VK ${a.type.replace(/_/g, ' ')}` };
  }
}
