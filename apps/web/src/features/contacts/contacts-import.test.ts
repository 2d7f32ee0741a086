import { describe, expect, it } from 'vitest';
import { testNaming } from '../../api/channel-types.fixture.ts';
import { translate } from '../../i18n/i18n.tsx';
import { previewCsv } from './csv-preview.ts';
import type { RowProblem } from './contacts-api.ts';
import { problemText } from './issue-text.ts';

describe('CSV preview', () => {
  it('reads a BOM, semicolons, quotes and Cyrillic; counts every data row, keeps the first ones', () => {
    const p = previewCsv('\uFEFFname;phone\r\n"Петров; Иван";+7 900\r\n\r\nАда;1\r\nБ;2\r\n', 2);
    expect(p).toEqual({
      header: ['name', 'phone'],
      rows: [
        ['Петров; Иван', '+7 900'],
        ['Ада', '1'],
      ],
      total: 3,
      delimiter: ';',
    });
  });

  it('keeps line breaks inside quotes, commas by default, and has nothing for an empty file', () => {
    expect(previewCsv('a,b\n"x\ny",2')?.rows).toEqual([['x\ny', '2']]);
    expect(previewCsv('externalId\nc1')?.delimiter).toBe(',');
    expect(previewCsv('\n\n')).toBeNull();
  });
});

describe('row problems in the console language', () => {
  const t =
    (lang: 'en' | 'ru') => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
      translate(lang, key, params);

  it('translates every issue of a row from its codes', () => {
    const p: RowProblem = {
      row: 4,
      message: 'english from the server',
      issues: [
        { field: 'email', code: 'invalid', value: 'x@' },
        { field: 'phone', code: 'invalid', value: '8 900', channelType: 'twilio_sms' },
        { field: 'externalId', code: 'duplicate', value: 'c1', firstRow: 2 },
      ],
    };
    expect(problemText(t('ru'), p, testNaming('ru'))).toBe(
      'почта: «x@» — не адрес электронной почты; телефон: «8 900» — не номер телефона с кодом страны (+…); адрес в канале: «c1» уже есть в строке 2',
    );
    expect(problemText(t('en'), p, testNaming('en'))).toBe(
      'e-mail: “x@” is not an e-mail address; phone: “8 900” is not a phone number with the country code (+…); address on the channel: “c1” is already in row 2',
    );
    expect(
      problemText(
        t('ru'),
        {
          row: 2,
          message: 'm',
          issues: [{ field: 'optIn', code: 'opt_in_refused', scope: 'sms' }],
        },
        testNaming('ru'),
      ),
    ).toBe('согласие не записано: клиент сам отказался от сообщений (СМС); снять отказ может только он');
  });

  it('words an invalid address by how the channel type addresses customers', () => {
    const p: RowProblem = {
      row: 3,
      message: 'm',
      issues: [{ field: 'externalId', code: 'invalid', value: '@ivan', channelType: 'telegram' }],
    };
    expect(problemText(t('en'), p, testNaming('en'))).toBe(
      'address on the channel: “@ivan” is not a Telegram chat id (e.g. 123456789)',
    );
    expect(problemText(t('ru'), p, testNaming('ru'))).toBe(
      'адрес в канале: «@ivan» — не идентификатор чата Telegram (например, 123456789)',
    );
  });

  it("falls back to the server's message for a code it does not know", () => {
    expect(
      problemText(
        t('ru'),
        {
          row: 3,
          message: 'name: something new',
          issues: [{ field: 'name', code: 'brand_new' }],
        },
        testNaming('ru'),
      ),
    ).toBe('name: something new');
  });
});
