import { BlockedUrlError } from '../../../infra/net/guarded-fetch.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { GraphApiError, GraphNetworkError } from './graph-client.ts';

export const WINDOW_CLOSED_MESSAGE =
  'More than 24 hours have passed since the customer last wrote: WhatsApp only allows an approved ' +
  'template message until they write again';

/** Meta's throughput, pair-rate and spam-rate limits: the same message may pass later. */
const RATE_LIMITS = new Set([4, 80007, 130429, 131048, 131056, 613]);
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
const TEMPLATE = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069]);

export interface WhatsAppFailure {
  /** Stable code stored on the message (`window_closed`, `invalid_recipient`, `whatsapp_<n>`...). */
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * Cloud API error codes (send answers and `failed` statuses alike) as operator-facing reasons: our own
 * wording plus Meta's code, never Meta's text (stored where every operator sees it).
 */
export function describeWhatsAppError(code: number, httpStatus = 400): WhatsAppFailure {
  const d = ` (error ${code})`;
  if (code === 131047) return { code: 'window_closed', message: WINDOW_CLOSED_MESSAGE, retryable: false };
  if (RATE_LIMITS.has(code)) {
    return { code: 'rate_limited', message: `WhatsApp rate limit${d}`, retryable: true };
  }
  if (code === 190 || httpStatus === 401) {
    return {
      code: 'invalid_token',
      message: `WhatsApp does not accept the channel's access token${d}; an admin must update it`,
      retryable: false,
    };
  }
  if (code === 10 || code === 200 || code === 3) {
    return { code: 'permission_denied', message: `The access token lacks permission${d}`, retryable: false };
  }
  if (code === 131026 || code === 131030 || code === 131021) {
    return {
      code: 'invalid_recipient',
      message: `WhatsApp cannot deliver to this number${d}`,
      retryable: false,
    };
  }
  if (code === 131050) {
    return { code: 'opted_out', message: `The customer stopped marketing messages${d}`, retryable: false };
  }
  if (code === 131049) {
    return {
      code: 'not_delivered',
      message: `WhatsApp chose not to deliver this message${d}`,
      retryable: false,
    };
  }
  if (TEMPLATE.has(code)) {
    return { code: 'template_error', message: `The template was rejected${d}`, retryable: false };
  }
  if (code === 368 || code === 131031) {
    return {
      code: 'account_restricted',
      message: `The WhatsApp account is restricted${d}`,
      retryable: false,
    };
  }
  if (TRANSIENT.has(code) || httpStatus >= 500) {
    return {
      code: 'provider_unavailable',
      message: `WhatsApp had a temporary error${d}`,
      retryable: true,
    };
  }
  return {
    code: `whatsapp_${code}`,
    message: `WhatsApp rejected the message${d}`,
    retryable: false,
  };
}

/** A failed Graph call as a job outcome. */
export function whatsappJobError(err: unknown): Error {
  if (err instanceof BlockedUrlError) return new PermanentError(err.message, err.code);
  if (err instanceof GraphNetworkError) return new RetryableError(err.message);
  if (!(err instanceof GraphApiError))
    return new RetryableError(err instanceof Error ? err.message : String(err));
  const f = describeWhatsAppError(err.code, err.httpStatus);
  if (!f.retryable) return new PermanentError(f.message, f.code);
  // Pair rate limit (131056): Meta allows about one message per 6 s to one user.
  const after = err.retryAfterMs ?? (err.code === 131056 ? 6_000 : undefined);
  return new RetryableError(f.message, after);
}
