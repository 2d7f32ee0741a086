import { z } from 'zod';
import { channelHealthSchema } from '../channel-health.ts';
import { outboundMediaSchema } from '../channel-types.ts';

/** A connected channel as `GET /channels` answers it; `connection` and `health` only for admins. */
export const channelSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
  teamId: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  outboundMedia: outboundMediaSchema,
  /** Admins only: webhook URL, generated secrets and other connection details. */
  connection: z.record(z.string(), z.unknown()).optional(),
  /** Admins only. */
  health: channelHealthSchema.optional(),
});
export type ChannelDto = z.infer<typeof channelSchema>;

/**
 * `POST /channels`. The server further holds `type` to the types it speaks and `settings` to that type's
 * own schema (`GET /channel-types` describes each field).
 */
export const channelCreateBody = z.object({
  type: z.string(),
  name: z.string().trim().min(1).max(200),
  settings: z
    .record(z.string(), z.unknown())
    .default({})
    .describe(
      'per type (GET /channel-types describes each field); secrets are stored encrypted and never shown again',
    ),
  teamId: z.string().nullable().optional(),
});
export type ChannelCreateBody = z.input<typeof channelCreateBody>;

export const channelPatchBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  teamId: z.string().nullable().optional(),
  active: z.boolean().optional(),
});
export type ChannelPatchBody = z.input<typeof channelPatchBody>;
