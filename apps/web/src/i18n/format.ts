export type Lang = 'en' | 'ru';

const DAY = 86_400_000;

/** Date, time and number formatting in the UI language (Intl, so Russian gets Russian month names). */
export function formatters(lang: Lang, now: () => number = Date.now) {
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  const unitNames: Record<Lang, Record<(typeof units)[number], string>> = {
    en: { B: 'B', KB: 'KB', MB: 'MB', GB: 'GB' },
    ru: { B: 'Б', KB: 'КБ', MB: 'МБ', GB: 'ГБ' },
  };
  return {
    locale,
    /** Inbox style: time today, day and month this year, full date before. */
    when(ts: number): string {
      const d = new Date(ts);
      const today = new Date(now());
      if (d.toDateString() === today.toDateString()) return time.format(d);
      if (Math.abs(now() - ts) < 300 * DAY && d.getFullYear() === today.getFullYear())
        return dayMonth.format(d);
      return date.format(d);
    },
    time: (ts: number) => time.format(new Date(ts)),
    dateTime: (ts: number) => dateTime.format(new Date(ts)),
    number: (n: number) => number.format(n),
    bytes(n: number): string {
      let v = n;
      let i = 0;
      while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      const shown = new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v);
      return `${shown} ${unitNames[lang][units[i]!]}`;
    },
  };
}

export type Formatters = ReturnType<typeof formatters>;
