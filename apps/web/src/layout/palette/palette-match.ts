/** One line of the command palette: a screen to open, an action on the open conversation, a record. */
export interface PaletteItem {
  id: string;
  group: 'action' | 'conversation' | 'contact' | 'screen';
  label: string;
  /** A second, dimmed line (the channel, the conversation's last message). */
  hint?: string;
  /** Extra words that find it (the English name of a screen in Russian, a phone number). */
  keywords?: string;
  run(): void;
}

const norm = (s: string) => s.toLocaleLowerCase().replace(/ё/g, 'е');

/**
 * The items a query keeps, best first: every word of the query must start a word of the item's text
 * or appear in it; items whose label starts with the query come first, then those where a word
 * starts with each query word. The groups keep their order among equals.
 */
export function matchItems(items: PaletteItem[], query: string): PaletteItem[] {
  const words = norm(query).split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  const scored: { item: PaletteItem; score: number; i: number }[] = [];
  items.forEach((item, i) => {
    const label = norm(item.label);
    const text = `${label} ${norm(item.hint ?? '')} ${norm(item.keywords ?? '')}`;
    const starts = text.split(/[\s,.:;«»“”"()/-]+/);
    let score = 0;
    for (const w of words) {
      if (starts.some((s) => s.startsWith(w))) score += 2;
      else if (text.includes(w)) score += 1;
      else return;
    }
    if (label.startsWith(words.join(' '))) score += 10;
    scored.push({ item, score, i });
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.item);
}
