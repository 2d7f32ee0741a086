/**
 * Customer-supplied links (attachment URLs) may only be http(s) or a path on this server: a
 * `javascript:` or `data:` URL in an href or src would run or smuggle content in the console.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return trimmed;
  try {
    const u = new URL(trimmed);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
