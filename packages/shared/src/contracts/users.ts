import { z } from 'zod';
import { AVAILABILITY, ROLES } from '../domain.ts';

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  availability: z.enum(AVAILABILITY).describe('presence: online, away or offline'),
  capacity: z.number().describe('how many open conversations auto-assignment may give this user'),
  active: z.boolean().describe('false = deactivated: cannot sign in, tokens refused'),
  teamIds: z.array(z.string()),
  createdAt: z.number().describe('when the user joined this account'),
  updatedAt: z.number(),
});
export type UserDto = z.infer<typeof userSchema>;

/** The policy (length, common passwords, the e-mail) answers `weak_password`, not a schema error. */
const password = z.string().min(1).max(1000);
const capacity = z.number().int().min(0).max(1000);

export const userCreateBody = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320)
    .pipe(z.email())
    .describe('e-mail address; trimmed and lower-cased'),
  name: z.string().trim().min(1).max(200).optional(),
  password: password.describe(
    'a temporary password the user must change at their first sign-in (at least 10 characters, not a common one, not the e-mail)',
  ),
  role: z.enum(ROLES),
  capacity: capacity.default(10),
  active: z.boolean().default(true),
});
export type UserCreate = z.input<typeof userCreateBody>;

export const userPatchBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    password: password
      .optional()
      .describe(
        'a temporary password: signs the user out everywhere; they must change it at their next sign-in',
      ),
    role: z.enum(ROLES).optional(),
    capacity: capacity.optional(),
    active: z.boolean().optional().describe('false signs the user out everywhere'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UserPatch = z.input<typeof userPatchBody>;

export const userListQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  role: z.enum(ROLES).optional(),
});

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  createdAt: z.number(),
});
export type TeamDto = z.infer<typeof teamSchema>;

const teamName = z.string().trim().min(1).max(100);
const userIds = z.array(z.string().min(1).max(64)).max(1000);
export const teamCreateBody = z.object({ name: teamName, memberIds: userIds.default([]) });
export const teamRenameBody = z.object({ name: teamName });
export const teamMembersBody = z.object({ userIds });

/** GET /api/v1/me and the sign-in answers: who is signed in, where, and what they must do first. */
export const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  account: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(ROLES),
  availability: z.enum(AVAILABILITY),
  capacity: z.number(),
  teamIds: z.array(z.string()),
  csrfToken: z.string().nullable(),
  passwordChangeRequired: z
    .boolean()
    .describe(
      'the password was set by an admin: the API answers password_change_required until it is changed',
    ),
  twoFactorEnrollmentRequired: z
    .boolean()
    .describe('the account requires two-factor sign-in and this user has none yet'),
});
export type Me = z.infer<typeof meSchema>;

export const mePatchBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  availability: z.enum(AVAILABILITY).optional(),
});
