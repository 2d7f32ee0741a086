/** How deeply a JSON body may nest objects and arrays, on the API and on webhooks. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests objects/arrays deeper than `max`, found by one pass over the bytes without
 * parsing (brackets inside strings do not count). It runs before anything recursive touches the body:
 * `JSON.stringify`, schema validation and our own walkers recurse and would overflow the stack on a
 * body nested thousands of levels deep. Works on UTF-8 bytes or a string alike: every character that
 * matters is ASCII.
 */
export function jsonTooDeep(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const b = at(i);
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: skip the escaped character
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return true;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

/** Whether raw bytes look like JSON (first non-blank byte `{` or `[`): those are depth-checked. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf)
      continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}
