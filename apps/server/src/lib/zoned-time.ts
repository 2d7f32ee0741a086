/** True for an IANA zone name this runtime knows ("Europe/Moscow", "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// Zone offsets change at most on quarter-hour boundaries (UTC); caching per quarter hour is exact.
const QUARTER_HOUR = 900_000;
const CACHE_LIMIT = 50_000;

/**
 * Wall-clock time in one zone. Excel dates carry no zone: a cell shows what the Date's UTC fields say,
 * so `wallClock` returns a Date whose UTC fields are the local time there.
 */
export class ZonedTime {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Milliseconds to add to a UTC instant to get the zone's wall-clock time at that instant. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      const at = bucket * QUARTER_HOUR;
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(at)) {
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      }
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
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
