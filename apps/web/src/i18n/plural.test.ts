import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { translate } from './i18n.tsx';
import { ru } from './ru.ts';

describe('plural forms', () => {
  it('counts conversations with the right English and Russian word', () => {
    const c = (lang: 'en' | 'ru', count: number) => translate(lang, 'inbox.optionCount', { count });
    expect([1, 2, 5].map((n) => c('en', n))).toEqual([
      '1 conversation',
      '2 conversations',
      '5 conversations',
    ]);
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((n) => c('ru', n))).toEqual([
      '1 диалог',
      '2 диалога',
      '5 диалогов',
      '11 диалогов',
      '21 диалог',
      '22 диалога',
      '25 диалогов',
      '111 диалогов',
    ]);
    expect(c('en', 0)).toBe('0 conversations');
    expect(c('ru', 0)).toBe('0 диалогов');
  });

  it('uses the count in other texts too', () => {
    expect(translate('en', 'security.codesLeft', { n: 1 })).toBe('1 recovery code left');
    expect(translate('ru', 'security.codesLeft', { n: 3 })).toBe('Осталось 3 резервных кода');
    expect(translate('ru', 'admin.tokens.expiry.days', { n: 30 })).toBe('Через 30 дней');
    expect(translate('ru', 'admin.tokens.expiry.days', { n: 1 })).toBe('Через 1 день');
  });

  it('gives every plural text all the forms its language needs', () => {
    for (const [dict, forms] of [
      [en, 2],
      [ru, 3],
    ] as const) {
      for (const [key, text] of Object.entries(dict)) {
        if (text.includes('|') && /\{(count|n)\}/.test(text)) expect(text.split('|').length, key).toBe(forms);
      }
    }
  });
});

describe('Russian wording', () => {
  it('a single conversation’s status is not the plural filter word', () => {
    for (const s of ['open', 'pending', 'snoozed', 'resolved'] as const)
      expect(ru[`status.single.${s}`]).not.toBe(ru[`status.${s}`]);
    expect(ru['status.single.open']).toBe('Открыт');
    expect(ru['status.single.resolved']).toBe('Решён');
  });

  it('names the assignee one way and avoids literal translations', () => {
    const all = Object.values(ru).join('\n');
    expect(all).not.toMatch(/ответственн/i);
    expect(all).not.toMatch(/Ёмкость/);
    // The connection indicator must not read as a presence state next to "Не в сети".
    expect(ru['live.live']).not.toMatch(/связи|сети/i);
  });
});
