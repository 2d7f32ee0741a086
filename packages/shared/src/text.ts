/**
 * Text hygiene shared by the server (what is stored) and the clients (what is shown). No dependencies:
 * the widget bundles it.
 */

/** NUL (PostgreSQL refuses it in text) and UTF-16 halves without their partner (not encodable as UTF-8). */
const UNSTORABLE_SOURCE =
  '\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
// Separate expressions for testing and replacing: `test` on a /g expression keeps state between calls.
const UNSTORABLE_ANY = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');

/**
 * Makes a string storable in both databases: NUL is removed, a lone surrogate becomes U+FFFD (the
 * UTF-8 encoder would do that silently anyway; doing it here keeps what is stored and what the
 * search index sees the same). Everything else, bidi controls included, is kept as the customer sent it.
 */
export function normaliseText(s: string): string {
  return UNSTORABLE_ANY.test(s) ? s.replace(UNSTORABLE_ALL, (c) => (c === '\u0000' ? '' : '\uFFFD')) : s;
}

/**
 * `normaliseText` on every string of a JSON-like value (object keys included). Objects that are not
 * plain (Buffer, Date) are returned as they are. `maxDepth` guards against a value nested deeper than
 * the request parsers allow; past it the value is returned untouched.
 */
export function normaliseDeep<T>(value: T, maxDepth = 128): T {
  return walkWith(value, maxDepth, normaliseText) as T;
}

function walkWith(v: unknown, depth: number, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (depth <= 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = walkWith(v[i], depth - 1, fn);
    return v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const clean = fn(key);
    const val = walkWith(o[key], depth - 1, fn);
    if (clean !== key) {
      delete o[key];
      o[clean] = val;
    } else o[key] = val;
  }
  return o;
}

/**
 * Explicit directional formatting (embeddings, overrides, isolates and their terminators: U+202A–202E,
 * U+2066–2069) and C0/C1 control characters other than tab and line breaks. They reorder or hide what
 * follows them, so "Invoice\u202Egpj.exe" would show as "Invoiceexe.jpg".
 */
const DISPLAY_UNSAFE_SOURCE =
  '[\\u202A-\\u202E\\u2066-\\u2069\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]';
const DISPLAY_UNSAFE_ANY = new RegExp(DISPLAY_UNSAFE_SOURCE);
const DISPLAY_UNSAFE_ALL = new RegExp(DISPLAY_UNSAFE_SOURCE, 'g');

/** What such a character is shown as: visible, and one UTF-16 unit like the character it stands for. */
export const DISPLAY_REPLACEMENT = '\uFFFD';

/**
 * What customer-controlled text looks like on screen and in exports: each character above is shown as
 * U+FFFD (visible, so an operator sees that something was there; the same length, so offsets the server
 * computed — search highlights, template positions — still point at the right text). The stored text
 * keeps them: nothing the customer sent is destroyed. Marks that only set the direction of neutral
 * characters (LRM, RLM, ALM) are kept: right-to-left writing needs them and they cannot reverse a run of
 * letters. Renderers also isolate names and messages (`<bdi>`, `dir="auto"`) so right-to-left text
 * cannot reorder the labels around it.
 */
export function displayText(s: string): string;
export function displayText(s: string | null | undefined): string | null | undefined;
export function displayText(s: string | null | undefined): string | null | undefined {
  if (typeof s !== 'string') return s;
  return DISPLAY_UNSAFE_ANY.test(s) ? s.replace(DISPLAY_UNSAFE_ALL, DISPLAY_REPLACEMENT) : s;
}

/** `displayText` on every string of a JSON value (API answers, socket events), in place. */
export function displayDeep<T>(value: T, maxDepth = 128): T {
  return walkWith(value, maxDepth, displayText) as T;
}
