import type { AppContext } from '../../../app-context.ts';
import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { type ProviderAnswer, providerFetch } from '../../../infra/net/provider-http.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { signApiBody } from './api-signature.ts';

const TIMEOUT_MS = 15_000;

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
  let res: ProviderAnswer;
  try {
    res = await providerFetch(
      ctx.fetch,
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-switchboard-signature': signApiBody(secret, raw),
          'x-switchboard-delivery': deliveryId,
          'user-agent': 'Switchboard/1.0',
        },
        body: raw,
        timeoutMs: TIMEOUT_MS,
        redirect: 'manual',
      },
      // Our own wording only: the receiver's error text is not for operators' eyes.
      (_detail, cause) => new RetryableError(`callback unreachable${cause ? ` (${cause})` : ''}`),
      ctx.clock.now(),
    );
  } catch (err) {
    if (err instanceof BlockedUrlError) {
      throw new PermanentError(`callback URL refused: ${err.message}`, 'blocked_address');
    }
    throw err;
  }
  if (res.status === 429 || res.status >= 500) {
    throw new RetryableError(`callback answered ${res.status}`, res.retryAfterMs);
  }
  if (res.status < 200 || res.status >= 300) {
    throw new PermanentError(`callback rejected the message with HTTP ${res.status}`, 'rejected_by_callback');
  }
  return res.json ?? null;
}
