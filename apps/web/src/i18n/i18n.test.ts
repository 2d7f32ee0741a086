import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { formatters } from './format.ts';
import { ru } from './ru.ts';

// Words that stay Latin in Russian UI text: key names, the product's protocol names, file formats.
const LATIN_ALLOWED = new Set([
  'Enter',
  'Shift',
  'Esc',
  'API',
  'POST',
  'Telegram',
  'WhatsApp',
  'BotFather',
  'Twilio',
  'Instagram',
  'Messenger',
  'Facebook',
  'Meta',
  'Viber',
  'Vonage',
  'Switchboard',
  // Twilio's own field names, quoted in brackets so an admin finds them in Twilio's console.
  'Account',
  'SID',
  'Auth',
  'Token',
  'Excel',
  'XLSX',
  'CSV',
  'UTF',
  'EML',
]);

describe('translations', () => {
  it('Russian has every English key and nothing else', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  it('every Russian text is actually Russian (no English left behind)', () => {
    for (const [key, text] of Object.entries(ru)) {
      const latin = (text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter(
        (w) => !LATIN_ALLOWED.has(w),
      );
      expect(latin, `ru["${key}"] = "${text}"`).toEqual([]);
      expect(text, `ru["${key}"]`).toMatch(/[а-яё]/i);
    }
  });

  it('keeps the same {placeholders} in both languages', () => {
    // A plural text repeats its placeholders once per form, and the languages have different form counts.
    const names = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(ru[key]), key).toEqual(names(en[key]));
    }
  });
});

describe('formatters', () => {
  const noon = new Date(2026, 2, 10, 12, 0).getTime();
  it('shows today as a time and older dates with localised month names', () => {
    const f = formatters('ru', () => noon);
    expect(f.when(noon - 3_600_000)).toBe('11:00');
    expect(f.when(new Date(2026, 0, 5, 9, 0).getTime())).toMatch(/5 янв/);
    expect(formatters('en', () => noon).when(new Date(2026, 0, 5, 9, 0).getTime())).toMatch(/5 Jan/);
  });

  it('formats sizes in the UI language', () => {
    expect(formatters('en').bytes(1536)).toBe('1.5 KB');
    expect(formatters('ru').bytes(1536)).toBe('1,5 КБ');
    expect(formatters('ru').bytes(12)).toBe('12 Б');
  });
});
