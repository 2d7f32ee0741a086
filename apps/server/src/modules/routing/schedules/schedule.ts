import { type Interval, minutesOf, type ScheduleException, WEEKDAYS, type Weekly } from '@switchboard/shared';
import { firstInstantAtLocal, localTime } from '../../../lib/zoned-time.ts';

/**
 * Working hours in a time zone: weekly intervals plus dated exceptions (holidays, one-off openings).
 * Everything is computed from wall-clock time in the schedule's zone through Intl, so DST changes need
 * no table of our own: an interval "09:00–18:00" means nine to six local time on every day, whatever
 * the UTC offset is that day.
 */

export interface Schedule {
  timeZone: string;
  weekly: Weekly;
  exceptions: ScheduleException[];
}

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Hours that apply on a local calendar date: its exception if there is one, otherwise the weekday's. */
export function intervalsOn(s: Schedule, y: number, m: number, d: number): Interval[] {
  const date = isoDate(y, m, d);
  const ex = s.exceptions.find((e) => e.date === date);
  if (ex) return ex.intervals;
  const weekday = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
  return s.weekly[weekday] ?? [];
}

export function isOpenAt(s: Schedule, t: number): boolean {
  const l = localTime(t, s.timeZone);
  return intervalsOn(s, l.y, l.m, l.d).some(
    (i) => minutesOf(i.from) * 60_000 <= l.msOfDay && l.msOfDay < minutesOf(i.to) * 60_000,
  );
}

/** When the schedule next opens at or after t (t itself when open); null if it never opens within a year. */
export function nextOpenAt(s: Schedule, t: number): number | null {
  if (isOpenAt(s, t)) return t;
  const l = localTime(t, s.timeZone);
  for (let day = 0; day <= 400; day++) {
    const date = new Date(Date.UTC(l.y, l.m - 1, l.d + day));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const list = [...intervalsOn(s, y, m, d)].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (const i of list) {
      const start = firstInstantAtLocal(s.timeZone, y, m, d, minutesOf(i.from));
      const end = firstInstantAtLocal(s.timeZone, y, m, d, minutesOf(i.to));
      // A interval swallowed by a DST gap (02:10–02:50 on a spring-forward night) never opens.
      if (start >= end) continue;
      if (start > t) return start;
    }
  }
  return null;
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Monday 5 January at 09:00 GMT+3" / "понедельник, 5 января в 09:00 GMT+3", in the schedule's zone. */
export function formatLocal(t: number, tz: string, language: 'en' | 'ru'): string {
  const key = `${language}|${tz}`;
  let f = displayFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
      timeZone: tz,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    displayFormatters.set(key, f);
  }
  return f.format(new Date(t));
}
