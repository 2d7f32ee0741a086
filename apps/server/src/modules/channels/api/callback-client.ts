import type { AppContext } from '../../../app-context.ts';
import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { signApiBody } from './api-signature.ts';

const TIMEOUT_MS = 15_000;

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs a JSON body signed like inbound webhooks. 429/5xx/network errors/timeouts are retryable
 * (Retry-After honoured); any other non-2xx is final. `deliveryId` lets the receiver de-duplicate.
 * A URL the SSRF guard refuses is final too. Errors carry the status code and our own wording, never
 * the receiver's answer: they are shown to operators, and the URL may point anywhere an admin typed.
 */
export async function postSignedJson(
  ctx: AppContext,
  url: string,
  body: unknown,
  secret: string,
  deliveryId: string,
): Promise<unknown> {
  const raw = JSON.stringify(body);
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchboard-signature': signApiBody(secret, raw),
        'x-switchboard-delivery': deliveryId,
        'user-agent': 'Switchboard/1.0',
      },
      body: raw,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (err) {
    if (err instanceof BlockedUrlError) {
      throw new PermanentError(`callback URL refused: ${err.message}`, 'blocked_address');
    }
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new RetryableError(`callback unreachable${cause ? ` (${cause})` : ''}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 429 || res.status >= 500) {
    throw new RetryableError(
      `callback answered ${res.status}`,
      retryAfterMs(res.headers.get('retry-after'), ctx.clock.now()),
    );
  }
  if (res.status < 200 || res.status >= 300) {
    throw new PermanentError(`callback rejected the message with HTTP ${res.status}`, 'rejected_by_callback');
  }
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
