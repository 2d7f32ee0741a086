import { z } from 'zod';

/** Channel-wide problems a provider reports. */
export const CHANNEL_HEALTH_ISSUES = ['token_invalid', 'account_blocked'] as const;
export type ChannelHealthIssue = (typeof CHANNEL_HEALTH_ISSUES)[number];

export const channelHealthSchema = z
  .object({
    webhookSeenAt: z
      .number()
      .nullable()
      .describe(
        "when the provider first reached the channel's webhook (a verification handshake or a signed delivery); " +
          'null: not yet — the webhook URL was probably not saved at the provider',
      ),
    issue: z
      .enum(CHANNEL_HEALTH_ISSUES)
      .nullable()
      .describe(
        'token_invalid: the provider no longer accepts the access token (e.g. Graph error 190, Viber status 2); ' +
          'account_blocked: the provider blocked or suspended the bot account (Viber status 7 or 9); cleared when ' +
          'an admin updates the settings or a send succeeds',
      ),
    detail: z.string().nullable().describe("the provider's own words about the issue"),
    since: z.number().nullable().describe('when the issue was last reported'),
  })
  .describe("the channel's health, for its admin");
export type ChannelHealth = z.infer<typeof channelHealthSchema>;
