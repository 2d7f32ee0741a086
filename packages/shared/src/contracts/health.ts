import { z } from 'zod';

/** `GET /api/health`: liveness and whether the database answers (monitors and `switchboard doctor`). */
export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  time: z.number(),
});
export type Health = z.infer<typeof healthSchema>;

export const healthUnavailableSchema = z.object({
  status: z.literal('unavailable'),
  database: z.string(),
  time: z.number(),
});
