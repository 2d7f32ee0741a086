import { describe, expect, it } from 'vitest';
import { contactLabel, generatedContactName } from './contact-label.ts';

describe('contact labels', () => {
  it('prefers the name, then the phone, then the e-mail', () => {
    expect(contactLabel({ id: 'a', name: 'Maria', phone: '+49 30 1234', email: 'm@x.test' }, 'en')).toBe(
      'Maria',
    );
    expect(contactLabel({ id: 'a', name: null, phone: '+49 30 1234', email: 'm@x.test' }, 'ru')).toBe(
      '+49 30 1234',
    );
    expect(contactLabel({ id: 'a', name: '  ', phone: null, email: 'm@x.test' }, 'en')).toBe('m@x.test');
  });

  it('gives an anonymous contact a stable friendly name in both languages, and different contacts different ones', () => {
    const ids = Array.from(
      { length: 40 },
      (_, i) => `0193a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`,
    );
    const en = ids.map((id) => contactLabel({ id, name: null }, 'en'));
    expect(en.every((n) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(n))).toBe(true);
    expect(new Set(en).size).toBeGreaterThan(30);
    const ru = ids.map((id) => generatedContactName(id, 'ru'));
    expect(ru.every((n) => /^[А-ЯЁ][а-яё]+ [а-яё]+$/.test(n))).toBe(true);
    expect(generatedContactName(ids[0]!, 'en')).toBe(generatedContactName(ids[0]!, 'en'));
    expect(en).not.toContain('Unknown contact');
  });
});
