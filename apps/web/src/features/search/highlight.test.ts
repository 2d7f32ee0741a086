import { describe, expect, it } from 'vitest';
import { highlightRuns } from './highlight.ts';

describe('highlightRuns', () => {
  it('marks the spans and keeps the rest as plain text', () => {
    expect(highlightRuns('where is my order?', [{ start: 12, end: 17 }])).toEqual([
      { text: 'where is my ', hit: false },
      { text: 'order', hit: true },
      { text: '?', hit: false },
    ]);
  });

  it('ignores overlapping and out-of-range spans', () => {
    expect(
      highlightRuns('abcdef', [
        { start: 3, end: 5 },
        { start: 0, end: 2 },
        { start: 1, end: 4 },
        { start: 4, end: 99 },
      ]),
    ).toEqual([
      { text: 'ab', hit: true },
      { text: 'c', hit: false },
      { text: 'de', hit: true },
      { text: 'f', hit: false },
    ]);
  });
});
