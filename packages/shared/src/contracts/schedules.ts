import { z } from 'zod';
import { timeZoneSchema } from './time-zone.ts';

/**
 * Working-hours schedules as `/schedules` carries them: weekly local-time intervals in a time zone plus
 * dated exceptions (holidays, one-off openings). The server computes open/closed from them
 * (apps/server/src/modules/routing/schedules/schedule.ts); the console edits them.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Minutes since local midnight of "HH:MM" (24:00 = 1440). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export const intervalSchema = z
  .strictObject({
    from: z.string().regex(HHMM, 'HH:MM, 00:00–23:59'),
    to: z.string().regex(HHMM, 'HH:MM, 00:01–24:00'),
  })
  .refine((i) => minutesOf(i.from) < minutesOf(i.to), {
    message: '"from" must be before "to" (split an overnight shift over two days)',
  });
export type Interval = z.infer<typeof intervalSchema>;

function noOverlap(list: Interval[]): boolean {
  const sorted = [...list].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (let i = 1; i < sorted.length; i++) {
    if (minutesOf(sorted[i]!.from) < minutesOf(sorted[i - 1]!.to)) return false;
  }
  return true;
}

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

/** `POST /schedules`, `PUT /schedules/{id}`. */
export const scheduleBody = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema.describe('IANA zone, e.g. Europe/Moscow'),
  weekly: weeklySchema.describe('per weekday (mon..sun) a list of {from, to} local times; missing = closed'),
  exceptions: z
    .array(exceptionSchema)
    .max(500)
    .default([])
    .refine((l) => new Set(l.map((e) => e.date)).size === l.length, { message: 'one exception per date' })
    .describe('dated overrides: empty intervals = closed (holiday), otherwise the hours of that date'),
});
export type ScheduleInput = z.input<typeof scheduleBody>;

export const scheduleSchema = scheduleBody.extend({
  id: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ScheduleDto = z.infer<typeof scheduleSchema>;

/** `GET /schedules/{id}/status`: open at a moment (default now), and when it opens next. */
export const scheduleStatusSchema = z.object({
  at: z.number(),
  open: z.boolean(),
  nextOpenAt: z.number().nullable(),
});
export type ScheduleStatus = z.infer<typeof scheduleStatusSchema>;
