/**
 * JSON with 64-bit integers kept exact. Viber's `message_token` is a 64-bit integer written as a bare
 * number (`5925477129011358721`); `JSON.parse` would round it to the nearest double (`…59000`), so two
 * tokens could collide and a receipt would name the wrong message. Every integer literal outside a string
 * that is beyond Number.MAX_SAFE_INTEGER is turned into a string of its exact digits before parsing.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

export function quoteBigIntegers(text: string): string {
  let out = '';
  let i = 0;
  let from = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, honouring escapes.
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && /[0-9eE.+-]/.test(text[i]!)) i++;
      const literal = text.slice(start, i);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(from, start)}"${literal}"`;
        from = i;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(from);
}

/** A 64-bit id as its exact decimal digits, whatever JSON type it arrived as; null when absent. */
export function exactId(v: unknown): string | null {
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return null;
}
