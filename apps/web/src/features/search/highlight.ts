/** Splits snippet text into plain and highlighted runs from UTF-16 spans (overlaps and bad spans ignored). */
export function highlightRuns(
  text: string,
  spans: { start: number; end: number }[],
): { text: string; hit: boolean }[] {
  const sorted = spans
    .filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end)
    .sort((a, b) => a.start - b.start);
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    if (s.start > at) out.push({ text: text.slice(at, s.start), hit: false });
    out.push({ text: text.slice(s.start, s.end), hit: true });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
