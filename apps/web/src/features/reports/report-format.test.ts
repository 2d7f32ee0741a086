import { describe, expect, it } from 'vitest';
import { formatPercent } from './report-format.ts';

describe('formatPercent', () => {
  it('shows one decimal at most, in each language, and a dash for none', () => {
    expect(formatPercent('en', 33.3)).toBe('33.3%');
    expect(formatPercent('en', 100)).toBe('100%');
    expect(formatPercent('ru', 33.3).replace(/[\u00a0\u202f]/g, ' ')).toBe('33,3 %');
    expect(formatPercent('ru', null)).toBe('—');
  });
});
