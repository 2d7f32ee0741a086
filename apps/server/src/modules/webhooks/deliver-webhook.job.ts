import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Row } from '../../infra/db/schema.ts';
import { BlockedUrlError } from '../../infra/net/guarded-fetch.ts';
import { backoffMs } from '../../infra/queue/job-queue.port.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import type { JobHandler } from '../../worker/worker.ts';
import { parseRetryAfter } from '../../infra/net/retry-after.ts';
import { recordOutcome } from './delivery-outcome.ts';
import { signWebhook } from './webhook-signature.ts';

export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';

export const webhookDeliverJobSchema = z.object({ deliveryId: z.string() });
export type WebhookDeliverJob = z.infer<typeof webhookDeliverJobSchema>;

const TIMEOUT_MS = 15_000;

/** What one POST came to. `retryable` failures are tried again within the window; others are final. */
export type AttemptResult =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retryable'; statusCode: number | null; error: string; retryAfterMs?: number }
  | { kind: 'refused'; statusCode: number | null; error: string };

/**
 * Sends one delivery. Network errors, timeouts, 5xx and 429 are retried (Retry-After honoured, else
 * exponential backoff) until `retry_until`; any other non-2xx (a redirect too: it is not followed) is
 * final. The attempt is recorded before the job's own outcome, so the log shows every try even when a
 * worker dies right after; a receiver that answered but whose answer we never recorded gets the same
 * delivery id again.
 */
export const deliverWebhookJob: JobHandler = async (ctx, job) => {
  const parsed = webhookDeliverJobSchema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentError(`bad webhook.deliver payload: ${parsed.error.message}`);
  const row = await ctx.db.kysely
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .selectAll('d')
    .select(['w.url', 'w.secret', 'w.active', 'w.paused_at'])
    .where('d.id', '=', parsed.data.deliveryId)
    .executeTakeFirst();
  // Deleted with its endpoint, or already settled (a replayed job): nothing to do.
  if (!row || row.status === 'delivered' || row.status === 'failed') return;
  if (row.active !== 1) {
    await recordOutcome(ctx, row, null, {
      kind: 'refused',
      statusCode: null,
      error: row.paused_at ? 'not sent: the endpoint is paused' : 'not sent: the endpoint is turned off',
    });
    return;
  }
  const { result, attempt } = await post(ctx, row, ctx.secrets.open(row.secret));
  const settled = await recordOutcome(ctx, row, attempt, result);
  if (settled === 'retry' && result.kind === 'retryable') {
    const delay = result.retryAfterMs ?? backoffMs(row.attempts + 1);
    await ctx.db.kysely
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: ctx.clock.now() + delay })
      .where('id', '=', row.id)
      .execute();
    // Thrown with our own delay: the job keeps the conversation's place in line while it waits.
    throw new RetryableError(result.error, delay);
  }
};

export interface AttemptRecord {
  id: string;
  at: number;
  durationMs: number;
  headers: Record<string, string>;
}

async function post(
  ctx: AppContext,
  d: Row<'webhook_deliveries'> & { url: string },
  secret: string,
): Promise<{ result: AttemptResult; attempt: AttemptRecord }> {
  const at = ctx.clock.now();
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Switchboard-Webhooks/1.0',
    'x-switchboard-event': d.event_type,
    'x-switchboard-delivery': d.id,
    'x-switchboard-timestamp': String(timestamp),
    'x-switchboard-signature': signWebhook(secret, timestamp, d.body),
  };
  const started = performance.now();
  const attempt = (): AttemptRecord => ({
    id: newId(at),
    at,
    durationMs: Math.round(performance.now() - started),
    headers,
  });
  let res: Response;
  try {
    res = await ctx.fetch(d.url, {
      method: 'POST',
      headers,
      body: d.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (err) {
    if (err instanceof BlockedUrlError)
      return {
        result: { kind: 'refused', statusCode: null, error: `URL refused: ${err.message}` },
        attempt: attempt(),
      };
    const e = err as { name?: string; cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError'
        ? 'no answer within 15 s'
        : `unreachable${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    return { result: { kind: 'retryable', statusCode: null, error: why }, attempt: attempt() };
  }
  // The answer's body is not kept (it is whatever the receiver chose to say); the connection is freed.
  await res.body?.cancel().catch(() => {});
  const rec = attempt();
  const status = res.status;
  if (status >= 200 && status < 300)
    return { result: { kind: 'delivered', statusCode: status }, attempt: rec };
  if (status === 429 || status >= 500) {
    const wait = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return {
      result: { kind: 'retryable', statusCode: status, error: `HTTP ${status}`, retryAfterMs: wait },
      attempt: rec,
    };
  }
  const error =
    status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
  return { result: { kind: 'refused', statusCode: status, error }, attempt: rec };
}
