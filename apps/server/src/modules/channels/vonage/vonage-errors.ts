import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { VonageApiError, VonageNetworkError } from './vonage-client.ts';

/**
 * A failed `POST /v1/messages` as a job outcome (Messages API errors are problem details with an HTTP
 * status): 429 and 5xx are retried (at `Retry-After` when given); 401 means the key or secret is wrong
 * (the channel shows "token invalid"); everything else is final with the reason an operator can read.
 */
export function vonageJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof VonageNetworkError) return new RetryableError(err.message);
  if (!(err instanceof VonageApiError))
    return new RetryableError(err instanceof Error ? err.message : String(err));
  const d = ` (Vonage: ${err.title}, HTTP ${err.httpStatus})`;
  if (err.httpStatus === 429) return new RetryableError(`Vonage rate limit${d}`, err.retryAfterMs);
  if (err.httpStatus >= 500) return new RetryableError(`Vonage had a temporary error${d}`, err.retryAfterMs);
  if (err.httpStatus === 401 || err.httpStatus === 403)
    return new PermanentError(
      `Vonage does not accept the channel's API key and secret${d}; an admin must update them`,
      'invalid_token',
    );
  if (err.httpStatus === 402)
    return new PermanentError(`The Vonage account has too little credit to send${d}`, 'insufficient_balance');
  if (err.httpStatus === 422 || err.httpStatus === 400)
    return new PermanentError(`Vonage refused the message as invalid${d}`, 'invalid_request');
  return new PermanentError(`Vonage rejected the message${d}`, `vonage_${err.httpStatus}`);
}
