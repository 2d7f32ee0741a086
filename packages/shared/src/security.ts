import { z } from 'zod';

/** `read`: GET and HEAD only (403 token_read_only otherwise); `write`: whatever the creator's role allows. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
  user: z
    .object({ id: z.string(), name: z.string() })
    .describe('the creator; the token acts with their role'),
  scope: z.enum(TOKEN_SCOPES),
  createdAt: z.number(),
  expiresAt: z.number().nullable().describe('epoch ms after which it answers 401 token_expired; null: never'),
  expired: z.boolean().describe('expiresAt has passed (the token stays listed until revoked)'),
  lastUsedAt: z.number().nullable().describe('updated at most once a minute'),
});
export type ApiTokenDto = z.infer<typeof apiTokenSchema>;

export const createApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(TOKEN_SCOPES).default('write'),
  expiresAt: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(null)
    .describe('epoch ms; must be in the future. null or absent: never expires'),
});
export type CreateApiTokenBody = z.input<typeof createApiTokenBody>;

/** `POST /tokens`: the only time the token itself is shown. */
export const createdApiTokenSchema = apiTokenSchema.extend({
  token: z.string().describe('send as `Authorization: Bearer <token>`; store it now'),
});
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

/** `GET /audit-log/actions`: the action names on record, for the log's filter. */
export const auditActionsSchema = z.object({ items: z.array(z.string()) });

export const auditEntrySchema = z.object({
  id: z.string(),
  user: z
    .object({ id: z.string(), name: z.string(), email: z.string() })
    .nullable()
    .describe('who did it; null for the system (CLI, jobs)'),
  action: z
    .string()
    .describe('e.g. user.created, user.role_changed, export.created, token.revoked, session.revoked'),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.number(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});
