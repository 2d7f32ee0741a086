import { z } from 'zod';

/** `GET|PUT /account/inbox-settings`: how the inbox behaves for everyone in the account. */
export const inboxSettingsSchema = z.object({
  assignOnReply: z
    .boolean()
    .describe(
      'a reply (not a private note) to an unassigned conversation assigns it to the replier, so a colleague does not answer it too; default on',
    ),
});
export type InboxSettings = z.infer<typeof inboxSettingsSchema>;
