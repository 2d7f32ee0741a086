import type { Lang } from './format.ts';

/**
 * A text with plural forms lists them separated by `|`, in the order of the language's CLDR
 * categories below; Intl.PluralRules picks the form, so "1 conversation", "2 диалога", "5 диалогов"
 * come out right instead of dodging plurals with "Conversations: 1".
 */
const ORDER: Record<Lang, Intl.LDMLPluralRule[]> = {
  en: ['one', 'other'],
  // "other" in Russian only covers fractions, which counts never are; it shares the "many" form.
  ru: ['one', 'few', 'many'],
};
const rules: Partial<Record<Lang, Intl.PluralRules>> = {};

export function pluralForm(lang: Lang, text: string, n: number): string {
  if (!text.includes('|')) return text;
  const forms = text.split('|');
  rules[lang] ??= new Intl.PluralRules(lang === 'ru' ? 'ru-RU' : 'en-GB');
  const i = ORDER[lang].indexOf(rules[lang].select(n));
  return forms[i < 0 ? forms.length - 1 : i] ?? forms[forms.length - 1]!;
}

/** The number a plural text counts: its `count` or `n` parameter. */
export function pluralCount(params: Record<string, string | number>): number | undefined {
  const n = params.count ?? params.n;
  return typeof n === 'number' ? n : undefined;
}
