import { firstInstantAtLocal, localTime } from '../../lib/zoned-time.ts';
import { minutesOf } from '@switchboard/shared';
import { intervalsOn, type Schedule } from '../routing/schedules/schedule.ts';

const DAY_MS = 86_400_000;
/** A schedule open nowhere in this many days has no due time we could honour; count calendar time. */
const HORIZON_DAYS = 400;

/**
 * When `ms` of working time have passed after `start` under the schedule (its exceptions and DST
 * included, as reports measure business time): the inverse of `businessTimeOf`. Null schedule:
 * calendar time.
 */
export function dueAfter(schedule: Schedule | null, start: number, ms: number): number {
  if (!schedule) return start + ms;
  const first = localTime(start, schedule.timeZone);
  let left = ms;
  for (let i = -1; i < HORIZON_DAYS; i++) {
    const date = new Date(Date.UTC(first.y, first.m - 1, first.d + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const spans = intervalsOn(schedule, y, m, d)
      .map((iv) => [
        firstInstantAtLocal(schedule.timeZone, y, m, d, minutesOf(iv.from)),
        firstInstantAtLocal(schedule.timeZone, y, m, d, minutesOf(iv.to)),
      ])
      .sort((a, b) => a[0]! - b[0]!);
    for (const [a, b] of spans as Array<[number, number]>) {
      const lo = Math.max(a, start);
      if (b <= lo) continue;
      if (b - lo >= left) return lo + left;
      left -= b - lo;
    }
  }
  return start + ms;
}

export const DAY = DAY_MS;
