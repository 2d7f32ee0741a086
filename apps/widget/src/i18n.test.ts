import { describe, expect, it } from 'vitest';
import { STRINGS, formatSize, pickLanguage } from './i18n.ts';

describe('widget languages', () => {
  it('takes data-lang first, then the browser languages, else English', () => {
    expect(pickLanguage('ru', ['en-US'])).toBe('ru');
    expect(pickLanguage(null, ['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage('xx', ['fr'])).toBe('en');
    expect(pickLanguage(undefined, [])).toBe('en');
  });

  it('has every string in Russian', () => {
    expect(Object.keys(STRINGS.ru).sort()).toEqual(Object.keys(STRINGS.en).sort());
    for (const v of Object.values(STRINGS.ru)) expect(v.length).toBeGreaterThan(0);
  });

  it('formats sizes', () => {
    expect(formatSize(500, 'en')).toBe('500 B');
    expect(formatSize(10 * 1024 * 1024, 'ru')).toBe('10 МБ');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
  });
});
