/**
 * The one time-zone module: wall-clock time in an IANA zone through Intl (the runtime's tz database), so
 * DST changes need no table of our own. Used by schedules, reports, exports and search.
 */

// The check lives with the shared time-zone contract so the console validates zones the same way.
export { isValidTimeZone } from '@switchboard/shared';

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalTime {
  y: number;
  m: number;
  d: number;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

export function localTime(t: number, tz: string): LocalTime {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(tz).formatToParts(new Date(t))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return {
    y: p.year!,
    m: p.month!,
    d: p.day!,
    msOfDay: ((p.hour! * 60 + p.minute!) * 60 + p.second!) * 1000 + (((t % 1000) + 1000) % 1000),
  };
}

/** UTC offset of the zone at instant t, in ms (positive east of Greenwich). */
export function offsetAt(t: number, tz: string): number {
  const l = localTime(t, tz);
  return Date.UTC(l.y, l.m - 1, l.d) + l.msOfDay - t;
}

/**
 * The first instant whose wall-clock time in tz is at or after the given local time. Usually the
 * one instant with that wall time; on a fall-back day the first of two; in a spring-forward gap (a
 * time that does not exist) the moment the clocks jump.
 */
export function firstInstantAtLocal(tz: string, y: number, m: number, d: number, minutes: number): number {
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const offsets = [
    ...new Set([offsetAt(wall - 86_400_000, tz), offsetAt(wall, tz), offsetAt(wall + 86_400_000, tz)]),
  ];
  const exact = offsets
    .map((o) => wall - o)
    .filter((t) => offsetAt(t, tz) === wall - t)
    .sort((a, b) => a - b);
  if (exact.length) return exact[0]!;
  // In a gap: search the transition between the earliest and latest candidate at minute precision.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  const before = offsetAt(lo, tz);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

// Zone offsets change at most on quarter-hour boundaries (UTC); caching per quarter hour is exact.
const QUARTER_HOUR = 900_000;
const CACHE_LIMIT = 50_000;

/**
 * Wall-clock time in one zone. Excel dates carry no zone: a cell shows what the Date's UTC fields say,
 * so `wallClock` returns a Date whose UTC fields are the local time there.
 */
export class ZonedTime {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  /** Milliseconds to add to a UTC instant to get the zone's wall-clock time at that instant. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = offsetAt(bucket * QUARTER_HOUR, this.timeZone);
      if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
      this.offsets.set(bucket, off);
    }
    return off;
  }

  wallClock(ms: number): Date {
    return new Date(ms + this.offsetAt(ms));
  }

  /** "YYYY-MM-DD" of the local day. */
  day(ms: number): string {
    return this.wallClock(ms).toISOString().slice(0, 10);
  }

  /** "YYYY-MM-DD HH:MM:SS" local (CSV cells). */
  format(ms: number): string {
    return this.wallClock(ms).toISOString().slice(0, 19).replace('T', ' ');
  }
}
