import { type Interval, type Schedule, type ScheduleInput, WEEKDAYS, type Weekday } from './routing-api.ts';

/**
 * The schedule editor's state and its conversion to the API body. A time input cannot hold "24:00",
 * which the API uses for "until midnight"; the editor shows it as 00:00, and an interval ending at
 * 00:00 (which could mean nothing else, as "to" must follow "from") is sent as 24:00.
 */

export interface ExceptionDraft {
  /** Stable React key: dates are edited, so they cannot be keys. */
  key: string;
  date: string;
  open: boolean;
  intervals: Interval[];
  note: string;
}

export interface ScheduleDraft {
  name: string;
  timeZone: string;
  weekly: Record<Weekday, Interval[]>;
  exceptions: ExceptionDraft[];
}

export const DEFAULT_HOURS: Interval = { from: '09:00', to: '18:00' };

let keys = 0;
export const draftKey = () => `x${++keys}`;

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every IANA zone the browser knows, UTC first (some engines leave it out of the list). */
export function timeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...list.filter((z) => z !== 'UTC')];
}

const shown = (i: Interval): Interval => ({ from: i.from, to: i.to === '24:00' ? '00:00' : i.to });
const sent = (i: Interval): Interval => ({ from: i.from, to: i.to === '00:00' ? '24:00' : i.to });

export function newDraft(): ScheduleDraft {
  const weekday = (d: Weekday) => (d === 'sat' || d === 'sun' ? [] : [{ ...DEFAULT_HOURS }]);
  return {
    name: '',
    timeZone: browserTimeZone(),
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, weekday(d)])) as Record<Weekday, Interval[]>,
    exceptions: [],
  };
}

export function draftFrom(s: Schedule): ScheduleDraft {
  return {
    name: s.name,
    timeZone: s.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, (s.weekly[d] ?? []).map(shown)])) as Record<
      Weekday,
      Interval[]
    >,
    exceptions: s.exceptions.map((e) => ({
      key: draftKey(),
      date: e.date,
      open: e.intervals.length > 0,
      intervals: e.intervals.map(shown),
      note: e.note ?? '',
    })),
  };
}

export function toInput(d: ScheduleDraft): ScheduleInput {
  return {
    name: d.name.trim(),
    timeZone: d.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, d.weekly[day].map(sent)])) as Record<
      Weekday,
      Interval[]
    >,
    exceptions: d.exceptions.map((e) => ({
      date: e.date,
      intervals: e.open ? e.intervals.map(sent) : [],
      ...(e.note.trim() ? { note: e.note.trim() } : {}),
    })),
  };
}
