import { z } from 'zod';

/** `GET /me/sessions`: the signed-in user's active console sessions (to sign out elsewhere). */
export const userSessionSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastSeenAt: z
    .number()
    .describe('last request (to the minute); idle longer than SESSION_IDLE_MINUTES ends it'),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type UserSession = z.infer<typeof userSessionSchema>;

export const userSessionListSchema = z.object({ items: z.array(userSessionSchema) });
