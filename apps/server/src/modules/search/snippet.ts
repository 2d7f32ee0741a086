import { type ParsedQuery, type Token, tokenize } from './text-analysis.ts';

export interface Snippet {
  /** Plain text (render as text, never as HTML); "…" marks a cut. */
  text: string;
  /** UTF-16 offsets into `text` of the matched words and phrases, ascending, not overlapping. */
  highlights: { start: number; end: number }[];
}

export const SNIPPET_WIDTH = 200;
const LEAD = 60;

/** Ranges of `text` that match the query: whole phrases, and single words whose stem is a query term. */
export function matchRanges(text: string, q: ParsedQuery): { start: number; end: number }[] {
  const tokens = tokenize(text, Number.POSITIVE_INFINITY);
  const terms = new Set(q.terms);
  const ranges: { start: number; end: number }[] = [];
  const covered = new Array<boolean>(tokens.length).fill(false);
  for (const p of q.phrases) {
    for (let i = 0; i + p.length <= tokens.length; i++) {
      if (p.every((s, j) => tokens[i + j]!.stem === s)) {
        ranges.push({ start: tokens[i]!.start, end: tokens[i + p.length - 1]!.end });
        for (let j = 0; j < p.length; j++) covered[i + j] = true;
      }
    }
  }
  tokens.forEach((t: Token, i) => {
    if (!covered[i] && terms.has(t.stem)) ranges.push({ start: t.start, end: t.end });
  });
  ranges.sort((a, b) => a.start - b.start);
  // Overlapping phrase matches ("a b" in "a b a b") merge into one range.
  const merged: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/**
 * A window of about `width` characters around the first match, cut at spaces where possible, with the
 * highlight offsets shifted into it. Null when nothing in `text` matches.
 */
export function makeSnippet(text: string, q: ParsedQuery, width = SNIPPET_WIDTH): Snippet | null {
  const ranges = matchRanges(text, q);
  const first = ranges[0];
  if (!first) return null;
  let start = Math.max(0, first.start - LEAD);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < first.start ? space + 1 : first.start;
  }
  let end = Math.min(text.length, Math.max(start + width, first.end));
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > first.end) end = space;
  }
  start = avoidSplitSurrogate(text, start);
  end = avoidSplitSurrogate(text, end);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  return {
    text: prefix + text.slice(start, end) + suffix,
    highlights: ranges
      .filter((r) => r.start >= start && r.end <= end)
      .map((r) => ({ start: r.start + shift, end: r.end + shift })),
  };
}

/** The beginning of a text, for a hit whose match lies elsewhere (e.g. in an attachment name). */
export function headSnippet(text: string, width = SNIPPET_WIDTH): Snippet {
  if (text.length <= width) return { text, highlights: [] };
  return { text: `${text.slice(0, avoidSplitSurrogate(text, width))}…`, highlights: [] };
}

function avoidSplitSurrogate(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return i > 0 && i < text.length && c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}
