import { describe, expect, it } from 'vitest';
import { NEWEST_WINDOWS, newestWindows } from './search.service.ts';

describe('newestWindows: which newest-first windows PostgreSQL tries for a word of a given share', () => {
  it('tries the default windows without statistics', () => {
    expect(newestWindows(undefined, 21)).toEqual(NEWEST_WINDOWS);
  });

  it('sizes the first window to the word: a quarter of all documents needs a few hundred, not 2,000', () => {
    expect(newestWindows(0.25, 21)).toEqual([336, 2688, 50_000]);
    expect(newestWindows(1, 21)).toEqual([200, 1600, 50_000]);
  });

  it('tries none for a word too rare to fill a page from the largest window twice over', () => {
    expect(newestWindows(0, 21)).toEqual([]);
    expect(newestWindows(0.0008, 21)).toEqual([]);
    expect(newestWindows(0.001, 21)).toEqual([50_000]);
  });
});
