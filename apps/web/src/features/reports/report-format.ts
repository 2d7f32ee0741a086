import type { Lang, Translate } from '../../i18n/i18n.tsx';

/** A duration in seconds as the cards and tables show it ("45 s", "3 min", "1 h 5 min", "2 d 3 h"). */
export function formatSeconds(t: Translate, s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return t('reports.seconds', { s });
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return t('duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('duration.hours', { h: hours, m: minutes % 60 });
  return t('duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** Change against the previous period, in percent; null when there is nothing to compare with. */
export function changeOf(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return Math.round(((now - before) / before) * 100);
}

/** A percentage (0–100) in the UI language's own way: "33.3%", "33,3 %"; a dash for none. */
export function formatPercent(lang: Lang, v: number | null): string {
  if (v === null) return '—';
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(v / 100);
}
