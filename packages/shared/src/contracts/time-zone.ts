import { z } from 'zod';

/** Whether the runtime's Intl knows `tz` as a time zone (IANA name such as Europe/Moscow, or UTC). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Europe/Moscow)' });

/** `GET|PUT /account/time-zone`: the zone exports and reports date things in. */
export const accountTimeZoneSchema = z.object({ timeZone: z.string() });
export type AccountTimeZone = z.infer<typeof accountTimeZoneSchema>;

export const accountTimeZoneBody = z.object({ timeZone: timeZoneSchema });
