import { describe, expect, it } from 'vitest';
import { exceptionSchema, timeZoneSchema, weeklySchema } from '@switchboard/shared';
import { type Schedule, formatLocal, isOpenAt, nextOpenAt } from './schedule.ts';

const nineToSix = { from: '09:00', to: '18:00' };
const weekdays = weeklySchema.parse({
  mon: [nineToSix],
  tue: [nineToSix],
  wed: [nineToSix],
  thu: [nineToSix],
  fri: [nineToSix],
});
const utc = (iso: string) => Date.parse(iso);

describe('schedule', () => {
  const moscow: Schedule = {
    timeZone: 'Europe/Moscow',
    weekly: weekdays,
    exceptions: [
      { date: '2026-01-01', intervals: [] },
      { date: '2026-01-03', intervals: [{ from: '10:00', to: '14:00' }] },
      { date: '2026-01-07', intervals: [] },
    ],
  };

  it('opens and closes on local wall-clock time, to the second', () => {
    // Monday 5 January 2026, Moscow is UTC+3.
    expect(isOpenAt(moscow, utc('2026-01-05T05:59:59Z'))).toBe(false);
    expect(isOpenAt(moscow, utc('2026-01-05T06:00:00Z'))).toBe(true);
    expect(isOpenAt(moscow, utc('2026-01-05T14:59:59Z'))).toBe(true);
    expect(isOpenAt(moscow, utc('2026-01-05T15:00:00Z'))).toBe(false);
    expect(isOpenAt(moscow, utc('2026-01-10T08:00:00Z'))).toBe(false); // Saturday
  });

  it('finds the next opening across a weekend and holidays', () => {
    expect(nextOpenAt(moscow, utc('2026-01-05T07:00:00Z'))).toBe(utc('2026-01-05T07:00:00Z'));
    expect(nextOpenAt(moscow, utc('2026-01-09T16:00:00Z'))).toBe(utc('2026-01-12T06:00:00Z'));
    // Closed on 1 January (a Thursday), open on Saturday 3 January 10:00–14:00 only.
    expect(isOpenAt(moscow, utc('2026-01-01T08:00:00Z'))).toBe(false);
    expect(nextOpenAt(moscow, utc('2025-12-31T16:00:00Z'))).toBe(utc('2026-01-02T06:00:00Z'));
    expect(isOpenAt(moscow, utc('2026-01-03T07:00:00Z'))).toBe(true);
    expect(isOpenAt(moscow, utc('2026-01-03T11:00:00Z'))).toBe(false);
    expect(nextOpenAt(moscow, utc('2026-01-03T11:00:00Z'))).toBe(utc('2026-01-05T06:00:00Z'));
    // Closed on Wednesday 7 January: Tuesday evening waits for Thursday.
    expect(nextOpenAt(moscow, utc('2026-01-06T15:00:00Z'))).toBe(utc('2026-01-08T06:00:00Z'));
  });

  it('follows the DST change: the same local hours move in UTC', () => {
    const berlin: Schedule = {
      timeZone: 'Europe/Berlin',
      weekly: weeklySchema.parse({ sun: [{ from: '10:00', to: '14:00' }] }),
      exceptions: [],
    };
    // Sunday 22 March 2026 is still CET (UTC+1); clocks go forward on Sunday 29 March (UTC+2).
    expect(nextOpenAt(berlin, utc('2026-03-21T12:00:00Z'))).toBe(utc('2026-03-22T09:00:00Z'));
    expect(nextOpenAt(berlin, utc('2026-03-28T12:00:00Z'))).toBe(utc('2026-03-29T08:00:00Z'));
    expect(isOpenAt(berlin, utc('2026-03-29T07:59:59Z'))).toBe(false);
    expect(isOpenAt(berlin, utc('2026-03-29T08:00:00Z'))).toBe(true);
    expect(isOpenAt(berlin, utc('2026-03-29T11:59:59Z'))).toBe(true);
    expect(isOpenAt(berlin, utc('2026-03-29T12:00:00Z'))).toBe(false);
    // And back on Sunday 25 October 2026.
    expect(nextOpenAt(berlin, utc('2026-10-24T12:00:00Z'))).toBe(utc('2026-10-25T09:00:00Z'));
    expect(isOpenAt(berlin, utc('2026-10-25T12:59:59Z'))).toBe(true);
    expect(isOpenAt(berlin, utc('2026-10-25T13:00:00Z'))).toBe(false);
  });

  it('handles hours inside the spring-forward gap and the repeated fall-back hour', () => {
    const ny = (sun: { from: string; to: string }[]): Schedule => ({
      timeZone: 'America/New_York',
      weekly: weeklySchema.parse({ sun }),
      exceptions: [],
    });
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00Z). 02:30 does not exist: open when clocks jump.
    expect(nextOpenAt(ny([{ from: '02:30', to: '05:00' }]), utc('2026-03-07T12:00:00Z'))).toBe(
      utc('2026-03-08T07:00:00Z'),
    );
    // An interval entirely inside the gap never opens that day: the next Sunday is the answer.
    expect(nextOpenAt(ny([{ from: '02:10', to: '02:50' }]), utc('2026-03-07T12:00:00Z'))).toBe(
      utc('2026-03-15T06:10:00Z'),
    );
    // 1 November 2026: 01:00–02:00 happens twice; the first 01:30 (EDT, 05:30Z) opens.
    expect(nextOpenAt(ny([{ from: '01:30', to: '03:00' }]), utc('2026-10-31T12:00:00Z'))).toBe(
      utc('2026-11-01T05:30:00Z'),
    );
  });

  it('never opens when no hours are set', () => {
    const closed: Schedule = { timeZone: 'UTC', weekly: weeklySchema.parse({}), exceptions: [] };
    expect(isOpenAt(closed, utc('2026-01-05T10:00:00Z'))).toBe(false);
    expect(nextOpenAt(closed, utc('2026-01-05T10:00:00Z'))).toBeNull();
  });

  it('formats the next opening for the customer in the schedule zone, in English and Russian', () => {
    const t = utc('2026-01-12T06:00:00Z');
    expect(formatLocal(t, 'Europe/Moscow', 'en')).toBe('Monday 12 January at 09:00 GMT+3');
    expect(formatLocal(t, 'Europe/Moscow', 'ru')).toBe('понедельник, 12 января в 09:00 GMT+3');
  });

  it('validates zones, intervals and dates', () => {
    expect(timeZoneSchema.safeParse('Europe/Moscow').success).toBe(true);
    expect(timeZoneSchema.safeParse('Mars/Olympus').success).toBe(false);
    expect(weeklySchema.safeParse({ mon: [{ from: '18:00', to: '09:00' }] }).success).toBe(false);
    expect(weeklySchema.safeParse({ mon: [{ from: '09:00', to: '24:00' }] }).success).toBe(true);
    expect(weeklySchema.safeParse({ mon: [{ from: '09:00', to: '25:00' }] }).success).toBe(false);
    expect(
      weeklySchema.safeParse({
        mon: [
          { from: '09:00', to: '13:00' },
          { from: '12:00', to: '18:00' },
        ],
      }).success,
    ).toBe(false);
    expect(exceptionSchema.safeParse({ date: '2026-13-01', intervals: [] }).success).toBe(false);
  });
});
