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
