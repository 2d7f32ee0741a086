/**
 * How a customer's message is read as a rating (docs/metrics.md, "CSAT answers"). The whole message
 * must be the answer, so "5 minutes later" or "1 more question" is never taken for a rating.
 */

/** The id of a rating button (Telegram callback data, WhatsApp reply id, the widget's star). */
export function ratingButtonId(rating: number): string {
  return `csat:${rating}`;
}

export function ratingOfButton(id: string | null | undefined): number | null {
  const m = /^csat:([1-5])$/.exec(id ?? '');
  return m ? Number(m[1]) : null;
}

/** The buttons of the survey, worst to best; the face makes the scale obvious without words. */
export const RATING_BUTTONS = [
  { id: ratingButtonId(1), title: '😡 1' },
  { id: ratingButtonId(2), title: '🙁 2' },
  { id: ratingButtonId(3), title: '😐 3' },
  { id: ratingButtonId(4), title: '🙂 4' },
  { id: ratingButtonId(5), title: '😀 5' },
] as const;

const FACES: Record<string, number> = {
  '😀': 5,
  '😃': 5,
  '😄': 5,
  '😁': 5,
  '😍': 5,
  '🤩': 5,
  '🥰': 5,
  '👍': 5,
  '🙂': 4,
  '😊': 4,
  '☺': 4,
  '😐': 3,
  '😑': 3,
  '😶': 3,
  '🙁': 2,
  '😕': 2,
  '☹': 2,
  '😞': 2,
  '😟': 2,
  '😡': 1,
  '😠': 1,
  '🤬': 1,
  '😭': 1,
  '👎': 1,
};

const STARS = new Set(['⭐', '★', '🌟']);

/**
 * A rating from a text answer: a digit 1–5 (optionally followed by "/5" or stars, e.g. "4", "4/5",
 * "5⭐"), one to five stars ("⭐⭐⭐"), or one face or thumb from the table above. Variation selectors
 * and skin tones are ignored, as are spaces and a trailing "." or "!". Anything else: null.
 */
export function ratingOfText(text: string | null | undefined): number | null {
  if (!text) return null;
  const s = text
    .normalize('NFC')
    .replace(/[\uFE0E\uFE0F\u{1F3FB}-\u{1F3FF}\s]/gu, '')
    .replace(/[.!]+$/u, '');
  if (!s || s.length > 12) return null;
  const digit = /^([1-5])(?:\/5|из5|of5)?([⭐★🌟]*)$/u.exec(s);
  if (digit) return Number(digit[1]);
  const chars = [...s];
  if (chars.every((c) => STARS.has(c)) && chars.length <= 5) return chars.length;
  if (chars.length === 1) return FACES[chars[0]!] ?? null;
  return null;
}
