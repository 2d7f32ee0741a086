import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type MessageKey, en } from './en.ts';
import { type Formatters, type Lang, formatters } from './format.ts';
import { pluralCount, pluralForm } from './plural.ts';
import { ru } from './ru.ts';

export type { Lang, MessageKey };

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, ru };
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'ru', label: 'Русский' },
];
const STORAGE_KEY = 'switchboard.lang';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const raw = DICTS[lang][key] ?? en[key];
  if (!params) return raw;
  const n = pluralCount(params);
  const text = n === undefined ? raw : pluralForm(lang, raw, n);
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t: Translate;
  fmt: Formatters;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = window.localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    window.localStorage.setItem(STORAGE_KEY, l);
    setLangState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params), fmt: formatters(lang) }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
