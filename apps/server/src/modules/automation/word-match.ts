import { tokenize } from '../search/text-analysis.ts';

/**
 * "Contains any of these words" in any word form: the message and each wanted word go through the
 * tokeniser and stemmer of full-text search, so "возврат" finds "возврата", "refund" finds "refunded",
 * exactly as the search box would. A wanted phrase matches when every one of its words is in the text.
 */
export function stemSet(text: string): Set<string> {
  return new Set(tokenize(text).map((t) => t.stem));
}

export function containsAnyWord(textStems: Set<string>, wanted: readonly string[]): boolean {
  return wanted.some((w) => {
    const stems = tokenize(w).map((t) => t.stem);
    return stems.length > 0 && stems.every((s) => textStems.has(s));
  });
}
