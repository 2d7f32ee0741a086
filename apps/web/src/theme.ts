import {
  type CSSVariablesResolver,
  DEFAULT_THEME,
  type MantineColorsTuple,
  createTheme,
} from '@mantine/core';

/**
 * WCAG AA everywhere in the console: normal text needs 4.5:1 against what is behind it. Mantine's
 * defaults miss that in three places this theme fixes once for every screen:
 *  - dimmed text (gray 6 on white, 3.3:1) and placeholders (gray 5, 2.1:1);
 *  - a colour's text and filled shade (8 with primaryShade 8: green 3.5:1, teal 4.0:1 under white text);
 *  - light variants (badges, alerts): shade 9 text on shade 1 (green 3.8:1, yellow 2.7:1).
 * Shades 8 and 9 of every colour are darkened just enough, so badges, buttons and coloured text keep
 * their hue; apps/server/test/console-accessibility.e2e.test.ts measures the rendered screens.
 */
const AA = 4.6; // a little over 4.5, so rounding in the browser never drops a pair under the line

type Rgb = [number, number, number];

const toRgb = (hex: string): Rgb => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const toHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
const channel = (v: number) => {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgb) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** WCAG contrast ratio of two opaque colours (#rrggbb). */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(toRgb(a)), luminance(toRgb(b))];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** The colour mixed towards black in small steps until it reaches `ratio` against `background`. */
export function darkenTo(color: string, background: string, ratio = AA): string {
  let c = toRgb(color);
  for (let i = 0; i < 40 && contrastRatio(toHex(c), background) < ratio; i++)
    c = c.map((v) => v * 0.96) as Rgb;
  return toHex(c);
}

const WHITE = '#ffffff';

function accessible(colors: MantineColorsTuple): MantineColorsTuple {
  const shades = [...colors];
  // Shade 8 is the filled colour (white text on it) and the colour of coloured text on white.
  shades[8] = darkenTo(colors[8], WHITE);
  // Shade 9 is a light variant's text on shade 1, or shade 2 while hovered.
  shades[9] = darkenTo(colors[9], colors[2]);
  return shades as unknown as MantineColorsTuple;
}

const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors)
    .filter(([name]) => name !== 'dark' && name !== 'gray')
    .map(([name, tuple]) => [name, accessible(tuple)]),
);

/** Dimmed text and placeholders dark enough for 4.5:1 on white and on the light grey of hovered rows. */
export const DIMMED = darkenTo(DEFAULT_THEME.colors.gray[6], DEFAULT_THEME.colors.gray[1]);
export const PLACEHOLDER = darkenTo(DEFAULT_THEME.colors.gray[5], WHITE);

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': DIMMED,
    '--mantine-color-placeholder': PLACEHOLDER,
    // Error texts and the required-field asterisk (red 6 by default: 3.3:1 on white).
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'blue',
  colors,
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  defaultRadius: 'md',
  // Filled colours are shade 8 (darkened above for white text); where a filled colour is still light,
  // autoContrast turns its text dark.
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
});
