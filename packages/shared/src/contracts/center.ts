import { z } from 'zod';

/** Whether the contact center answers now, per channel (`/center/status`), and the admin's override. */
export const CENTER_MODES = ['auto', 'online', 'offline'] as const;
export type CenterMode = (typeof CENTER_MODES)[number];

export const CENTER_REASONS = [
  'open',
  'forced_online',
  'forced_offline',
  'outside_hours',
  'no_operator_online',
] as const;
export type CenterReason = (typeof CENTER_REASONS)[number];

export const channelCenterStatusSchema = z.object({
  channelId: z.string(),
  name: z.string(),
  online: z.boolean(),
  reason: z.enum(CENTER_REASONS),
  channelMode: z
    .enum(CENTER_MODES)
    .describe("the channel's own override; auto = follows the account's mode. A forced channel wins"),
  forcedBy: z
    .enum(['channel', 'account'])
    .nullable()
    .describe('whose override decides the state now; null = schedule and presence do'),
  scheduleOpen: z.boolean(),
  operatorsOnline: z.number(),
  nextOpenAt: z.number().nullable(),
});
export type ChannelCenterStatusDto = z.infer<typeof channelCenterStatusSchema>;

export const centerStatusSchema = z.object({
  mode: z
    .enum(CENTER_MODES)
    .describe(
      'the account-wide override: auto = computed from schedules and presence; online/offline = forced',
    ),
  channels: z.array(channelCenterStatusSchema),
});
export type CenterStatusDto = z.infer<typeof centerStatusSchema>;

/** `POST /center/status` and `POST /center/channels/{id}`: the override to set. */
export const centerModeBody = z.object({ mode: z.enum(CENTER_MODES) });
