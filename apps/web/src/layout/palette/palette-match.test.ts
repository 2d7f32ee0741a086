import { describe, expect, it } from 'vitest';
import { type PaletteItem, matchItems } from './palette-match.ts';

const item = (label: string, extra: Partial<PaletteItem> = {}): PaletteItem => ({
  id: label,
  group: 'screen',
  label,
  run: () => undefined,
  ...extra,
});

describe('palette matching', () => {
  const items = [
    item('Assign to me', { group: 'action' }),
    item('Resolve', { group: 'action' }),
    item('Reports'),
    item('Olga Smirnova', { group: 'contact', keywords: '+79990001122' }),
    item('Всё', { keywords: 'All' }),
    item('Ёлка', { group: 'contact' }),
  ];
  const labels = (q: string) => matchItems(items, q).map((i) => i.label);

  it('keeps everything for an empty query, in order', () => {
    expect(labels('  ')).toEqual(items.map((i) => i.label));
  });

  it('finds by word starts, inside words and keywords, best first', () => {
    expect(labels('re')).toEqual(['Resolve', 'Reports']);
    expect(labels('smir')).toEqual(['Olga Smirnova']);
    expect(labels('olga sm')).toEqual(['Olga Smirnova']);
    expect(labels('7999')).toEqual(['Olga Smirnova']);
    expect(labels('all')).toEqual(['Всё']);
    expect(labels('елка')).toEqual(['Ёлка']);
    expect(labels('sign me')).toEqual(['Assign to me']);
    expect(labels('nothing')).toEqual([]);
  });
});
