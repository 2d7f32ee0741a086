import { describe, expect, it } from 'vitest';
import { displayDeep, displayText, normaliseDeep, normaliseText } from './text.ts';

describe('normaliseText', () => {
  it('removes NUL and replaces lone surrogates, keeping pairs, emoji and bidi marks', () => {
    expect(normaliseText('a\u0000b')).toBe('ab');
    expect(normaliseText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(normaliseText('end\uD83D')).toBe('end\uFFFD');
    expect(normaliseText('ok 😀 👩‍💻 \u202E שלום')).toBe('ok 😀 👩‍💻 \u202E שלום');
    // Repeated calls give the same answer (no state kept between calls).
    expect([1, 2, 3].map(() => normaliseText('a\u0000'))).toEqual(['a', 'a', 'a']);
  });

  it('normaliseDeep cleans every string and key of a JSON value in place', () => {
    const v = { 'k\u0000': ['a\u0000', { b: 'c\uD800' }], n: 1, t: true, z: null };
    expect(normaliseDeep(v)).toEqual({ k: ['a', { b: 'c\uFFFD' }], n: 1, t: true, z: null });
    const buf = Buffer.from('a\u0000');
    expect(normaliseDeep({ buf }).buf).toBe(buf);
  });
});

describe('displayText', () => {
  it('shows direction overrides, embeddings, isolates and control characters as U+FFFD; keeps LRM/RLM and line breaks', () => {
    expect(displayText('Invoice\u202Egpj.exe')).toBe('Invoice\uFFFDgpj.exe');
    expect(displayText('a\u2066b\u2069c\u202Ad\u202Ce')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(displayText('bell\u0007 esc\u001B[31m')).toBe('bell\uFFFD esc\uFFFD[31m');
    // Same length: offsets computed on the stored text (search highlights) still fit.
    expect(displayText('x\u202Ey\u0085').length).toBe(4);
    expect(displayText('line 1\nline\t2\r\n')).toBe('line 1\nline\t2\r\n');
    expect(displayText('שלום\u200F world \u200E')).toBe('שלום\u200F world \u200E');
    expect(displayText(null)).toBeNull();
    expect(displayDeep({ contact: { name: 'Mallory\u202Etxt.exe' }, n: 3 })).toEqual({
      contact: { name: 'Mallory\uFFFDtxt.exe' },
      n: 3,
    });
  });
});
