import { z } from 'zod';

/** Settings fields Messenger and Instagram share. */
export const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

export const metaCommonSettings = {
  appSecret: z.string().trim().min(8).max(200).optional(),
  /** Chosen by the admin and typed into Meta's webhook settings; generated when absent. */
  verifyToken: z
    .string()
    .trim()
    .regex(/^[\x20-\x7e]{8,200}$/, '8–200 printable characters')
    .optional(),
  /** Graph API root: a proxy or the sandbox. */
  apiBaseUrl: httpUrl.optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'like v24.0')
    .optional(),
  /**
   * Meta granted this app the Human Agent permission: after the 24-hour window, an operator's reply may
   * still go out with the HUMAN_AGENT tag until 7 days after the customer's last message.
   */
  humanAgentTag: z.boolean().optional(),
};

export const HOUR_MS = 3600_000;
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;
export const HUMAN_AGENT_TAG = 'HUMAN_AGENT';

/** Subscribed webhook fields asked for when a channel is connected. */
export const MESSENGER_FIELDS = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_postbacks',
];
export const INSTAGRAM_FIELDS = ['messages', 'messaging_seen', 'message_reactions', 'messaging_postbacks'];
