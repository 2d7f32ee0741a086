import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { ClaimedJob } from '../../infra/queue/job-queue.port.ts';
import { signWebhook } from '../webhooks/webhook-signature.ts';
import { postSignedJsonWith } from './signed-post.ts';

export const RULE_WEBHOOK_JOB = 'automation.webhook';

export const ruleWebhookPayloadSchema = z.object({
  accountId: z.string(),
  ruleId: z.string(),
  url: z.string(),
  /** Stable across retries: the receiver's idempotency key. */
  deliveryId: z.string(),
  event: z.string(),
  body: z.string(),
});
export type RuleWebhookPayload = z.infer<typeof ruleWebhookPayloadSchema>;

/**
 * Delivers a rule's `send_webhook` action: written as a job in the rule's transaction, so it survives a
 * crash, and retried with backoff on network errors, 5xx and 429 (Retry-After honoured); another 4xx or
 * a URL the SSRF guard refuses is final. A rule deleted meanwhile delivers nothing.
 */
export async function ruleWebhookJob(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const p = ruleWebhookPayloadSchema.parse(job.payload);
  const rule = await ctx.db.kysely
    .selectFrom('automation_rules')
    .select('webhook_secret')
    .where('id', '=', p.ruleId)
    .where('account_id', '=', p.accountId)
    .executeTakeFirst();
  if (!rule) return;
  const timestamp = Math.floor(ctx.clock.now() / 1000);
  await postSignedJsonWith(ctx, p.url, p.body, {
    'x-switchboard-event': p.event,
    'x-switchboard-delivery': p.deliveryId,
    'x-switchboard-timestamp': String(timestamp),
    'x-switchboard-signature': signWebhook(rule.webhook_secret, timestamp, p.body),
  });
}
