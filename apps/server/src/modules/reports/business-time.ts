import { firstInstantAtLocal, localTime } from '../../lib/zoned-time.ts';
import { minutesOf } from '@switchboard/shared';
import { intervalsOn, type Schedule } from '../routing/schedules/schedule.ts';
import type { BusinessTime } from './cycle-reducer.ts';

const DAY_MS = 86_400_000;

/** Every instant counts: a channel without working hours. */
export const calendarTime: BusinessTime = (from, to) => Math.max(0, to - from);

/**
 * The part of [from, to) during which the schedule is open: walks the local calendar days the span
 * touches, taking each day's hours (its exception if any — a holiday is an empty one) as instants in
 * the schedule's zone, so DST days are measured as they were lived.
 */
export function businessTimeOf(s: Schedule): BusinessTime {
  return (from, to) => {
    if (to <= from) return 0;
    const start = localTime(from, s.timeZone);
    let total = 0;
    // One extra day on each side covers zones whose local date differs from the UTC one.
    const days = Math.ceil((to - from) / DAY_MS) + 2;
    for (let i = -1; i < days; i++) {
      const date = new Date(Date.UTC(start.y, start.m - 1, start.d + i));
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      for (const iv of intervalsOn(s, y, m, d)) {
        const a = firstInstantAtLocal(s.timeZone, y, m, d, minutesOf(iv.from));
        const b = firstInstantAtLocal(s.timeZone, y, m, d, minutesOf(iv.to));
        const lo = Math.max(a, from);
        const hi = Math.min(b, to);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  };
}
