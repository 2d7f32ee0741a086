import type { AppContext } from '../../app-context.ts';
import { BlockedUrlError } from '../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../worker/job-errors.ts';
import { parseRetryAfter } from '../../infra/net/retry-after.ts';

const TIMEOUT_MS = 15_000;

/**
 * POSTs a ready JSON body through the SSRF guard (ctx.fetch) with the given headers. 429, 5xx, network
 * errors and timeouts are retryable (Retry-After honoured); any other non-2xx and a refused address are
 * final. Errors name the status, never the receiver's answer (the URL may point anywhere).
 */
export async function postSignedJsonWith(
  ctx: AppContext,
  url: string,
  raw: string,
  headers: Record<string, string>,
): Promise<void> {
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Switchboard/1.0', ...headers },
      body: raw,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (err) {
    if (err instanceof BlockedUrlError) throw new PermanentError(`webhook URL refused: ${err.message}`);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new RetryableError(`webhook unreachable${cause ? ` (${cause})` : ''}`);
  }
  await res.body?.cancel().catch(() => {});
  if (res.status === 429 || res.status >= 500)
    throw new RetryableError(
      `webhook answered ${res.status}`,
      parseRetryAfter(res.headers.get('retry-after'), ctx.clock.now()),
    );
  if (res.status < 200 || res.status >= 300)
    throw new PermanentError(`webhook rejected the delivery with HTTP ${res.status}`);
}
