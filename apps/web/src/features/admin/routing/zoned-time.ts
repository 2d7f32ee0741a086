import type { Lang } from '../../../i18n/i18n.tsx';

/** "Mon 5 Jan, 09:00" in a schedule's own zone (where its hours are set), in the UI language. */
export function zonedDateTime(ts: number, timeZone: string, lang: Lang): string {
  try {
    return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(ts));
  } catch {
    return new Date(ts).toISOString();
  }
}
