import { describe, expect, it } from 'vitest';
import { matchesTemplate, templateQuery } from './template-suggest.ts';

describe('template suggestions', () => {
  it('open on "/" at the very start of the box only', () => {
    expect(templateQuery('/', 1)).toBe('');
    expect(templateQuery('/gre', 4)).toBe('gre');
    expect(templateQuery('see /gre', 8)).toBeNull();
    expect(templateQuery('/greet me', 9)).toBeNull();
  });

  it('match the shortcut or the name', () => {
    const tpl = { shortcut: 'greet', name: 'Friendly hello' };
    expect(matchesTemplate(tpl, 'gre')).toBe(true);
    expect(matchesTemplate(tpl, 'HELLO')).toBe(true);
    expect(matchesTemplate(tpl, 'bye')).toBe(false);
  });
});
