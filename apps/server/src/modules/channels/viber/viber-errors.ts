import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { ViberApiError, ViberNetworkError } from './viber-client.ts';

export interface ViberFailure {
  /** Stable code stored on the message (`not_subscribed`, `invalid_token`, `viber_<n>`...). */
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * Viber's `status` codes (channels.md §4b; the same table in every official SDK) as operator-facing
 * reasons. The wording is ours plus Viber's code, never Viber's `status_message`: it is shown to every
 * operator and comes from whatever host the channel's API address points at.
 */
export function describeViberStatus(status: number): ViberFailure {
  const d = ` (Viber status ${status})`;
  switch (status) {
    case 6:
      return {
        code: 'not_subscribed',
        message: `The customer has not subscribed to this Viber bot, so Viber does not let it write to them${d}`,
        retryable: false,
      };
    case 12:
      return { code: 'rate_limited', message: `Viber rate limit: too many requests${d}`, retryable: true };
    case 2:
      return {
        code: 'invalid_token',
        message: `Viber does not accept the channel's authentication token${d}; an admin must update it`,
        retryable: false,
      };
    case 7:
      return {
        code: 'account_blocked',
        message: `Viber has blocked this bot account${d}; an admin must contact Viber`,
        retryable: false,
      };
    case 9:
      return {
        code: 'account_blocked',
        message: `Viber has suspended this bot account${d}; an admin must contact Viber`,
        retryable: false,
      };
    case 8:
      return { code: 'account_not_found', message: `Viber has no such bot account${d}`, retryable: false };
    case 5:
    case 11:
      return {
        code: 'invalid_recipient',
        message: `This customer cannot receive Viber messages (not registered or no suitable device)${d}`,
        retryable: false,
      };
    case 10:
      return {
        code: 'webhook_not_set',
        message: `The bot's webhook is not set at Viber${d}; an admin must save the channel again`,
        retryable: false,
      };
    case 3:
    case 4:
      return { code: 'bad_request', message: `Viber refused the message as malformed${d}`, retryable: false };
    default:
      return { code: `viber_${status}`, message: `Viber rejected the message${d}`, retryable: false };
  }
}

/** A failed REST call as a job outcome. */
export function viberJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof ViberNetworkError) return new RetryableError(err.message, err.retryAfterMs);
  if (!(err instanceof ViberApiError))
    return new RetryableError(err instanceof Error ? err.message : String(err));
  const f = describeViberStatus(err.status);
  if (!f.retryable) return new PermanentError(f.message, f.code);
  return new RetryableError(f.message, err.retryAfterMs);
}
