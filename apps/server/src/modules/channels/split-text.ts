/**
 * Splits text for providers that cap one message (Telegram and WhatsApp: 4096). Lengths are UTF-16 code
 * units, as the providers count them; a cut prefers a line break, then a space, and never splits a
 * surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = max;
    const window = rest.slice(0, max);
    const nl = window.lastIndexOf('\n');
    const sp = window.lastIndexOf(' ');
    if (nl > max * 0.5) cut = nl + 1;
    else if (sp > max * 0.5) cut = sp + 1;
    else if (/[\uD800-\uDBFF]/.test(rest[cut - 1]!)) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Splits text for providers that cap one message in UTF-8 bytes (Instagram: 1000). Cuts fall between
 * code points, never inside one and never between the halves of a surrogate pair; a cut prefers a line
 * break, then a space, in the second half of the part.
 */
export function splitTextBytes(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  const chars = Array.from(text);
  let start = 0;
  while (start < chars.length) {
    let bytes = 0;
    let end = start;
    let nl = -1;
    let sp = -1;
    while (end < chars.length) {
      const n = Buffer.byteLength(chars[end]!, 'utf8');
      if (bytes + n > maxBytes) break;
      bytes += n;
      end++;
      // Only breaks in the second half of the part count, so parts stay reasonably full.
      if (bytes > maxBytes / 2) {
        if (chars[end - 1] === '\n') nl = end;
        else if (chars[end - 1] === ' ') sp = end;
      }
    }
    if (end < chars.length) {
      if (nl > start) end = nl;
      else if (sp > start) end = sp;
    }
    // A single code point is at most 4 bytes; any sane limit fits one.
    if (end === start) end = start + 1;
    parts.push(chars.slice(start, end).join(''));
    start = end;
  }
  if (parts.length === 0) parts.push('');
  return parts;
}
