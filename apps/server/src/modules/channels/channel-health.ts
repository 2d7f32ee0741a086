import type { ChannelHealth, ChannelHealthIssue } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';

export function channelHealthOf(row: Row<'channels'>): ChannelHealth {
  return {
    webhookSeenAt: row.webhook_seen_at ?? null,
    issue: (row.health_issue as ChannelHealthIssue | null) ?? null,
    detail: row.health_detail ?? null,
    since: row.health_at ?? null,
  };
}

/** The provider reached the webhook (once recorded, never again: the check costs nothing afterwards). */
export async function markWebhookSeen(ctx: AppContext, row: Row<'channels'>): Promise<void> {
  if (row.webhook_seen_at !== null) return;
  await ctx.db.kysely
    .updateTable('channels')
    .set({ webhook_seen_at: ctx.clock.now() })
    .where('id', '=', row.id)
    .where('webhook_seen_at', 'is', null)
    .execute();
}

/** Error codes of a failed send that say the whole channel is unusable until an admin acts. */
const CHANNEL_ISSUES: Record<string, ChannelHealthIssue> = {
  invalid_token: 'token_invalid',
  // The token works but may not send messages (VK error 7): as unusable until an admin replaces it.
  missing_permission: 'token_invalid',
  account_blocked: 'account_blocked',
};

/**
 * After a send: a channel-wide failure is recorded on the channel (the admin sees it there, not only on
 * one message); a success clears a recorded token problem.
 */
export async function recordSendHealth(
  ctx: AppContext,
  row: Row<'channels'>,
  outcome: { ok: true } | { ok: false; code: string; message: string },
): Promise<void> {
  if (outcome.ok) {
    if (row.health_issue === null) return;
    await ctx.db.kysely
      .updateTable('channels')
      .set({ health_issue: null, health_detail: null, health_at: null })
      .where('id', '=', row.id)
      .execute();
    return;
  }
  const issue = CHANNEL_ISSUES[outcome.code];
  if (!issue) return;
  await ctx.db.kysely
    .updateTable('channels')
    .set({ health_issue: issue, health_detail: outcome.message.slice(0, 500), health_at: ctx.clock.now() })
    .where('id', '=', row.id)
    .execute();
}
