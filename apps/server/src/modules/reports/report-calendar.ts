import { firstInstantAtLocal, localTime } from '../../lib/zoned-time.ts';

export const INTERVALS = ['hour', 'day', 'week'] as const;
export type Interval = (typeof INTERVALS)[number];

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

interface Day {
  /** First instant of the local calendar day. */
  start: number;
  y: number;
  m: number;
  d: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Whether the UTC offset is the same all day (no DST change inside it). */
  steady: boolean;
  offset: number;
}

/**
 * The local calendar days of a zone over a span, computed once through Intl; everything else (bucket
 * starts, hour of week) is then arithmetic, except on the few days whose offset changes.
 */
export class LocalCalendar {
  readonly days: Day[] = [];

  /** Weeks: build it from a week before `from`, so the Monday that starts from's week is known. */
  constructor(
    readonly timeZone: string,
    from: number,
    to: number,
  ) {
    const first = localTime(from, timeZone);
    let start = firstInstantAtLocal(timeZone, first.y, first.m, first.d, 0);
    for (let i = 0; ; i++) {
      const date = new Date(Date.UTC(first.y, first.m - 1, first.d + i));
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (start >= to && this.days.length) break;
      // Most days are 24 hours long: one Intl call confirms the next midnight; DST days are searched.
      const guess = start + DAY_MS;
      const next = new Date(Date.UTC(y, m - 1, d + 1));
      const atGuess = localTime(guess, timeZone);
      const nextStart =
        atGuess.msOfDay === 0 && atGuess.d === next.getUTCDate()
          ? guess
          : firstInstantAtLocal(
              timeZone,
              next.getUTCFullYear(),
              next.getUTCMonth() + 1,
              next.getUTCDate(),
              0,
            );
      const weekday = (date.getUTCDay() + 6) % 7;
      const steady = nextStart - start === DAY_MS;
      this.days.push({ start, y, m, d, weekday, steady, offset: Date.UTC(y, m - 1, d) - start });
      start = nextStart;
    }
    this.end = start;
  }

  /** The first instant after the last day. */
  readonly end: number;

  private dayIndex(t: number): number {
    let lo = 0;
    let hi = this.days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.days[mid]!.start <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Local weekday (0 = Monday) and hour of an instant inside the span. */
  hourOfWeek(t: number): { weekday: number; hour: number } {
    const day = this.days[this.dayIndex(t)]!;
    if (day.steady) return { weekday: day.weekday, hour: Math.floor((t - day.start) / HOUR_MS) };
    const l = localTime(t, this.timeZone);
    return { weekday: day.weekday, hour: Math.floor(l.msOfDay / HOUR_MS) };
  }

  /** Start instants of the buckets of an interval that cover [from, to), oldest first. */
  bucketStarts(interval: Interval, from: number, to: number): number[] {
    const starts: number[] = [];
    for (let i = 0; i < this.days.length; i++) {
      const day = this.days[i]!;
      const dayEnd = i + 1 < this.days.length ? this.days[i + 1]!.start : this.end;
      if (interval === 'week' && day.weekday !== 0) continue;
      if (interval !== 'hour') {
        starts.push(day.start);
        continue;
      }
      if (day.steady) {
        for (let t = day.start; t < dayEnd; t += HOUR_MS) starts.push(t);
        continue;
      }
      // A DST day: an hour starts wherever the local minute and second are zero.
      for (let t = day.start; t < dayEnd; t += QUARTER_MS) {
        if (localTime(t, this.timeZone).msOfDay % HOUR_MS === 0) starts.push(t);
      }
    }
    // Keep the bucket that contains `from` and the ones that start before `to`.
    let firstKept = 0;
    while (firstKept + 1 < starts.length && starts[firstKept + 1]! <= from) firstKept++;
    return starts.slice(firstKept).filter((t) => t < to);
  }

  /** ISO instant with the zone's offset at that instant: 2026-03-29T00:00:00+01:00. */
  iso(t: number): string {
    const off = offsetOf(t, this.timeZone);
    const local = new Date(t + off).toISOString().slice(0, 19);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off) / 60_000;
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }
}

export function offsetOf(t: number, tz: string): number {
  const l = localTime(t, tz);
  return Date.UTC(l.y, l.m - 1, l.d) + l.msOfDay - t;
}

/** Index of the bucket containing t (starts sorted ascending), or -1 before the first. */
export function bucketIndex(starts: number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (!starts.length || t < starts[0]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
