import { z } from 'zod';
import { firstInstantAtLocal, isValidTimeZone, localTime } from '../../../lib/zoned-time.ts';

/**
 * Working hours in a time zone: weekly intervals plus dated exceptions (holidays, one-off openings).
 * Everything is computed from wall-clock time in the schedule's zone through Intl, so DST changes need
 * no table of our own: an interval "09:00–18:00" means nine to six local time on every day, whatever
 * the UTC offset is that day.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const intervalSchema = z
  .strictObject({
    from: z.string().regex(HHMM, 'HH:MM, 00:00–23:59'),
    to: z.string().regex(HHMM, 'HH:MM, 00:01–24:00'),
  })
  .refine((i) => minutesOf(i.from) < minutesOf(i.to), {
    message: '"from" must be before "to" (split an overnight shift over two days)',
  });
export type Interval = z.infer<typeof intervalSchema>;

const intervalsSchema = z
  .array(intervalSchema)
  .max(12)
  .refine(noOverlap, { message: 'intervals of one day must not overlap' });

export const weeklySchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, intervalsSchema.default([])])) as Record<
    Weekday,
    z.ZodDefault<typeof intervalsSchema>
  >,
);
export type Weekly = z.infer<typeof weeklySchema>;

export const exceptionSchema = z.strictObject({
  date: z.string().regex(DATE, 'YYYY-MM-DD'),
  /** Replaces the weekly hours of that date; empty = closed all day (a holiday). */
  intervals: intervalsSchema,
  note: z.string().max(200).optional(),
});
export type ScheduleException = z.infer<typeof exceptionSchema>;

export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Europe/Moscow)' });

export interface Schedule {
  timeZone: string;
  weekly: Weekly;
  exceptions: ScheduleException[];
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function noOverlap(list: Interval[]): boolean {
  const sorted = [...list].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (let i = 1; i < sorted.length; i++) {
    if (minutesOf(sorted[i]!.from) < minutesOf(sorted[i - 1]!.to)) return false;
  }
  return true;
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
