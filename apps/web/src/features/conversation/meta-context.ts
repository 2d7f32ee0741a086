import type { Message } from '../../api/types.ts';
import { safeUrl } from '../../lib/safe-url.ts';

/**
 * What Messenger and Instagram add around a message, read from the server's meta: who sent a message
 * written outside Switchboard (the Page inbox, the Instagram app), and the story a customer replied to
 * or mentioned the business in (its link, which Meta's CDN stops serving when the story expires).
 */
export function sentOutside(
  m: Pick<Message, 'direction' | 'meta'>,
): 'pageInbox' | 'instagramApp' | 'vkCommunity' | 'other' | null {
  if (m.direction !== 'out') return null;
  const by = (m.meta?.sentOutside as { by?: unknown } | undefined)?.by;
  if (typeof by !== 'string') return null;
  if (by === 'VK community') return 'vkCommunity';
  return by === 'Page inbox' ? 'pageInbox' : by === 'Instagram app' ? 'instagramApp' : 'other';
}

export function storyOf(m: Pick<Message, 'meta'>): { kind: 'reply' | 'mention'; url: string | null } | null {
  const s = m.meta?.story as { kind?: unknown; url?: unknown } | undefined;
  if (!s || (s.kind !== 'reply' && s.kind !== 'mention')) return null;
  return { kind: s.kind, url: safeUrl(typeof s.url === 'string' ? s.url : null) };
}
