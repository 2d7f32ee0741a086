import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { DIMMED, PLACEHOLDER, contrastRatio, darkenTo, theme } from './theme.ts';

describe('console theme contrast (WCAG AA)', () => {
  const colors = theme.colors ?? {};

  it('darkens a colour just enough for the ratio asked', () => {
    const green = DEFAULT_THEME.colors.green[8];
    expect(contrastRatio(green, '#ffffff')).toBeLessThan(4.5);
    const dark = darkenTo(green, '#ffffff');
    expect(contrastRatio(dark, '#ffffff')).toBeGreaterThanOrEqual(4.6);
    expect(contrastRatio(dark, '#ffffff')).toBeLessThan(5.2);
  });

  it('every colour keeps 4.5:1: filled (white text) and coloured text on white, light badges and alerts', () => {
    for (const [name, shades] of Object.entries(colors)) {
      if (!shades) continue;
      expect(contrastRatio(shades[8]!, '#ffffff'), `${name} 8 on white`).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(shades[9]!, shades[1]!), `${name} 9 on 1`).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(shades[9]!, shades[2]!), `${name} 9 on 2`).toBeGreaterThanOrEqual(4.5);
    }
    expect(Object.keys(colors)).toEqual(expect.arrayContaining(['green', 'teal', 'yellow', 'orange', 'red']));
  });

  it('dimmed text and placeholders pass on white and on a hovered row', () => {
    expect(contrastRatio(DEFAULT_THEME.colors.gray[6], '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio(DIMMED, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(DIMMED, DEFAULT_THEME.colors.gray[1])).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(PLACEHOLDER, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
