import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n.tsx';
import { issueText } from './validation-text.ts';

const ru = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('ru', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('en', key, params);

describe('validation issues in the console language', () => {
  it('words the schema codes the server sends', () => {
    const base = { path: 'body.name', message: 'Too small: expected string to have >=1 characters' };
    expect(issueText(ru, { ...base, code: 'too_small', origin: 'string', minimum: 1 })).toBe(
      'Обязательное поле',
    );
    expect(issueText(en, { ...base, code: 'too_big', origin: 'string', maximum: 200 })).toBe(
      'At most 200 characters',
    );
    expect(issueText(ru, { ...base, code: 'too_big', origin: 'number', maximum: 200 })).toBe('Не больше 200');
    expect(issueText(ru, { ...base, code: 'invalid_format', format: 'email' })).toBe(
      'Неверный адрес электронной почты',
    );
    expect(
      issueText(en, {
        ...base,
        message: 'Invalid input: expected string, received undefined',
        code: 'invalid_type',
        expected: 'string',
      }),
    ).toBe('Required');
    expect(issueText(en, { ...base, code: 'invalid_value', values: ['open', 'pending'] })).toBe(
      'Choose one of: open, pending',
    );
  });

  it("keeps the server's sentence for rules only the server knows", () => {
    expect(
      issueText(ru, {
        path: 'body.text',
        message: 'unknown variable; known: {{next_open_time}}',
        code: 'custom',
      }),
    ).toBe('unknown variable; known: {{next_open_time}}');
    expect(issueText(ru, { path: 'body.x', message: 'no code from an older server' })).toBe(
      'no code from an older server',
    );
  });
});
